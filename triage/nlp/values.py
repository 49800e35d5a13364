"""Normalise the text of a budget or deadline span into a value.

Pure functions: ``money("50 000 ₽")`` -> ``{"amount": 50000.0, "currency": "RUB"}``;
``deadline("within two weeks")`` -> ``{"days": 14}``; a date without a year
is resolved against the message's own date when one is known.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫", "01234567890123456789,.")

# The first entry that matches names the currency, so the dollars that are not US dollars
# come before "$". A name several currencies share (rupees, kr, pesos, francs, dinar) is left
# unnamed: a wrong currency would compare the budget with the user's rate at the wrong rate.
_CURRENCIES = (
    ("BRL", r"r\$|\bbrl\b|reais"),
    ("CAD", r"(?<![a-z])c(?:a)?\$|\bcad\b|canadian dollars?"),
    ("AUD", r"(?<![a-z])au?\$|\baud\b|australian dollars?"),
    ("NZD", r"nz\$|\bnzd\b|new zealand dollars?"),
    ("SGD", r"(?<![a-z])s\$|\bsgd\b|singapore dollars?"),
    ("HKD", r"hk\$|\bhkd\b"),
    ("MXN", r"mx\$|\bmxn\b"),
    ("USD", r"\$|usd|us\s?dollars?|dollars?|bucks|долл\w*|бакс\w*|دولار\w*|دولارات"),
    ("EUR", r"€|eur\b|euros?|евро|يورو"),
    ("GBP", r"£|gbp|pounds?(?: sterling)?|фунт\w*|جنيه إسترليني|استرليني"),
    ("BYN", r"byn\b|белорусск\w*"),
    ("RUB", r"₽|руб\w*|rub\b|rubles?|roubles?|р\.|тыс\.?\s*р\b|т\.р\.|российских"),
    ("QAR", r"\bqar\b|(?<!\w)ر\.\s?ق\.?|ريال\w* قطري"),
    ("OMR", r"\bomr\b|(?<!\w)ر\.\s?ع\.?|ريال\w* عماني"),
    ("BHD", r"\bbhd\b|(?<!\w)د\.\s?ب\.?|دينار\w* بحريني"),
    ("JOD", r"\bjod\b|(?<!\w)د\.\s?[أا]\.?(?!\w)|دينار\w* [أا]ردني"),
    ("MAD", r"(?-i:\bMAD\b|\bDHS?\b|\bDhs?\b)|(?<!\w)د\.\s?م\.?|درهم\w* مغربي"),
    ("DZD", r"\bdzd\b|(?-i:\bDA\b)|(?<!\w)د\.\s?ج\.?|(?<!\w)دج(?!\w)|دينار\w* جزائري"),
    ("TND", r"\btnd\b|(?-i:\bDT\b)|(?<!\w)د\.\s?ت\.?|دينار\w* تونسي"),
    ("SAR", r"sar\b|ر\.?\s?س\.?|ريال\w*|﷼|riyals?"),
    ("AED", r"aed\b|د\.?\s?إ\.?|درهم\w*|dirhams?"),
    ("EGP", r"egp\b|(?-i:\bL\.?E\b)|ج\.?\s?م\.?|جنيه\w*|جنيهات|egyptian pounds?"),
    ("KWD", r"kwd\b|دينار\w* كويتي"),
    ("UAH", r"грн|uah\b|гривен\w*|₴|hryvnias?"),
    ("KZT", r"тенге|₸|kzt\b"),
    ("INR", r"₹|\binr\b|indian rupees?"),
    ("PKR", r"\bpkr\b|pakistani rupees?"),
    ("NGN", r"₦|\bngn\b|naira"),
    ("GHS", r"gh₵|₵|\bghs\b|cedis?"),
    ("KES", r"\bkes\b|\bkshs?\b|kenyan shillings?"),
    ("ZAR", r"\bzar\b|\brand\b|(?-i:\bR)\s?\d"),
    ("PHP", r"₱|\bphp\b|philippine pesos?"),
    ("IDR", r"\bidr\b|(?-i:\bRp)"),
    ("MYR", r"\bmyr\b|(?-i:\bRM)|ringgit"),
    ("JPY", r"\bjpy\b|¥|\byen\b"),
    ("CNY", r"\bcny\b|\brmb\b|yuan|renminbi"),
    ("TRY", r"(?-i:\bTRY\b)|₺|turkish lira"),
    ("CHF", r"\bchf\b|swiss francs?"),
    ("SEK", r"\bsek\b|swedish kron\w*"),
    ("NOK", r"\bnok\b|norwegian kron\w*"),
    ("DKK", r"\bdkk\b|danish kron\w*"),
    ("PLN", r"\bpln\b|zł|zlot\w*|злот\w*"),
    ("ILS", r"(?-i:\bILS\b)|₪|shekels?|шекел\w*|شيكل"),
    ("UZS", r"\buzs\b|сум\b|сумов|сума\b"),
    ("GEL", r"(?-i:\bGEL\b)|лари\b|₾"),
)
_CURRENCY_RX = [(code, re.compile(rx, re.IGNORECASE)) for code, rx in _CURRENCIES]
# The ISO codes ``money`` can return: a currency outside this list is never read from an email.
CURRENCY_CODES: tuple[str, ...] = tuple(code for code, _ in _CURRENCIES)

_MULTIPLIERS = (
    (re.compile(r"(?<=\d)\s?k\b|\bthousand\b|тыс\w*|\bк\b|(?<=\d)к\b|ألف|آلاف|الف|الاف", re.IGNORECASE), 1_000),
    (re.compile(r"\bmillion\b|\bmln\b|млн|миллион\w*|مليون|ملايين", re.IGNORECASE), 1_000_000),
    (re.compile(r"тыщ\w*", re.IGNORECASE), 1_000),
)

_PER = (
    ("hour", r"/\s?h(ou)?r\b|per hour|an hour|hourly|в час|/час|за час|بالساعة|في الساعة|للساعة"),
    ("word", r"per word|/\s?word|a word|за слово|للكلمة|لكل كلمة"),
    ("day", r"per day|/\s?day|a day|day rate|в день|за день|/день|يومي|في اليوم|لليوم"),
    ("month", r"per month|/\s?mo(nth)?\b|a month|monthly|в месяц|/мес|ежемесячно|شهري|في الشهر|شهريا"),
    ("item", r"per (article|post|page|piece|text|video|design|banner)|за (статью|текст|пост|страницу|штуку)"
             r"|للمقال|لكل مقال|للتصميم"),
    ("1000 chars", r"за 1000|за тысячу знаков|/1000"),
)
_PER_RX = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in _PER]

_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d{1,2})?")
# A revenue split: "split the royalties 50/50", "fifty-fifty", "пополам", "مناصفة".
_SPLIT = re.compile(r"(?<![\d/.,])(\d{1,2})\s?/\s?(\d{1,2})(?![\d/])|fifty-fifty|пополам|مناصف[ةه]", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"\s*(?:k|thousand|тыс\w*\.?|тыщ\w*|к|ألف|آلاف|الف|الاف)?\s*(?:-|–|—|to|or|до|или|"
                         r"إلى|الى|ل|لـ|و|او|أو)\s*[^\w\d]{0,2}\s*", re.IGNORECASE)
# Arabic states small sums in words: the dual ("درهمين", two dirhams) and "دولار واحد".
_WORD_AMOUNT = re.compile(r"(?<!\w)[وفب]?(?:(درهمين|ريالين|دينارين|جنيهين|دولارين|يوروين)|"
                          r"(?:دولار|ريال|درهم|جنيه|دينار|يورو)\s+واحد)(?!\w)")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s?(?:%|٪|percent|процент\w*|بالمئة|في المئة)", re.IGNORECASE)


def _to_float(num: str) -> float | None:
    s = num.replace("\u00a0", " ").replace("\u202f", " ")
    m = re.fullmatch(r"(\d+(?:[ .,]\d{3})*)(?:[.,](\d{1,2}))?", s)
    if not m:
        return None
    whole = re.sub(r"[ .,]", "", m.group(1))
    frac = m.group(2)
    try:
        return float(f"{whole}.{frac}" if frac else whole)
    except ValueError:
        return None


def money(text: str) -> dict[str, Any] | None:
    t = text.translate(_DIGITS)
    currency = next((code for code, rx in _CURRENCY_RX if rx.search(t)), None)
    # Without a currency, a percentage or a split is a share, not an amount.
    pct = _PERCENT.search(t) if currency is None else None
    if pct:
        value = _to_float(pct.group(1))
        return {"percent": value} if value is not None else None
    split = _SPLIT.search(t) if currency is None else None
    if split:
        a, b = (int(split.group(1)), int(split.group(2))) if split.group(1) else (50, 50)
        if a + b == 100:
            return {"split": f"{a}/{b}"}
    found = [(m, n) for m in _NUMBER.finditer(t) if (n := _to_float(m.group())) is not None]
    nums = [n for _m, n in found]
    if not nums:
        word = _WORD_AMOUNT.search(t)
        nums = [2.0] if word and word.group(1) else [1.0] if word else []
    if not nums:
        return None
    mult = 1
    for rx, factor in _MULTIPLIERS:
        if rx.search(t):
            mult = factor
            break
    amounts = [n * mult if n < 10_000 or mult == 1 else n for n in nums[:2]]
    out: dict[str, Any] = {"amount": amounts[0], "currency": currency}
    # A second figure is the top of a range only when a range joins them: in "150 руб. за
    # 1000 знаков" it is the unit.
    if len(amounts) == 2 and amounts[1] > amounts[0]:
        if _RANGE_JOIN.fullmatch(t[found[0][0].end():found[1][0].start()]):
            out["max"] = amounts[1]
    for name, rx in _PER_RX:
        if rx.search(t):
            out["per"] = name
            break
    return out


# ---------------------------------------------------------------- deadlines

_MONTHS = {
    # English
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    # Russian stems (январ-, феврал-, ...)
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7,
    "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12, "мае": 5, "маю": 5,
    # Arabic: Egyptian/Gulf and Levantine month names
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5,
    "يونيو": 6, "يوليو": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12, "يونيه": 6, "يوليه": 7,
    "ايار": 5, "اذار": 3, "ايلول": 9,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
    "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
    # Maghrebi: Algerian/Tunisian and Moroccan names
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "افريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "جويليه": 7,
    "يوليوز": 7, "أوت": 8, "اوت": 8, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
}
_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30, "couple": 2, "few": 3, "several": 3,
    "один": 1, "одну": 1, "одна": 1, "два": 2, "две": 2, "пару": 2, "пара": 2, "три": 3,
    "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
    "несколько": 3, "нескольких": 3, "двух": 2, "трёх": 3, "трех": 3, "четырёх": 4, "четырех": 4,
    "пяти": 5, "шести": 6, "семи": 7, "десяти": 10, "полутора": 1.5, "полторы": 1.5,
    "واحد": 1, "اثنين": 2, "تلات": 3, "تلاتة": 3, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "اربعة": 4, "أربع": 4, "خمسة": 5,
    "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "عشرة": 10, "عشر": 10,
}
_UNITS = (
    (re.compile(r"hour|час|ساع", re.IGNORECASE), 0),
    (re.compile(r"day|дн|ден|сут|يوم|أيام|ايام", re.IGNORECASE), 1),
    (re.compile(r"week|недел|أسبوع|اسبوع|أسابيع|اسابيع", re.IGNORECASE), 7),
    (re.compile(r"month|месяц|شهر|أشهر|اشهر|شهور", re.IGNORECASE), 30),
    (re.compile(r"year|год|лет|سنة|عام", re.IGNORECASE), 365),
)
_DUALS = re.compile(r"يومين|أسبوعين|اسبوعين|شهرين|ساعتين")
_WEEKDAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4, "суббот": 5, "воскресень": 6,
    "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3,
    "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6,
}
_RELATIVE = (
    (re.compile(r"today|tonight|this (?:morning|afternoon|evening)|сегодня|اليوم|الليلة|الليله|النهارده|النهاردة",
                re.IGNORECASE), 0),
    (re.compile(r"day after tomorrow|послезавтра|بعد غد", re.IGNORECASE), 2),
    (re.compile(r"tomorrow|завтра|غدا|غدًا|بكرة|بكره|بكرا|باكر|باجر|باچر|غدوة", re.IGNORECASE), 1),
)
_END_OF = (
    (re.compile(r"end of (the |this )?month|конц\w* месяц|نهاية الشهر|آخر الشهر|اخر الشهر", re.IGNORECASE), "month"),
    (re.compile(r"end of (the |this )?week|конц\w* недел|نهاية الأسبوع|نهاية الاسبوع|آخر الأسبوع", re.IGNORECASE), "week"),
    (re.compile(r"end of (the |this )?year|конц\w* года|نهاية السنة|نهاية العام", re.IGNORECASE), "year"),
    (re.compile(r"next week|следующ\w* недел|الأسبوع القادم|الاسبوع القادم|الأسبوع الجاي", re.IGNORECASE), "next_week"),
)


def _month_in(text: str) -> int | None:
    low = text.lower()
    # Longest names first so "كانون الثاني" wins over partial matches.
    for name in sorted(_MONTHS, key=len, reverse=True):
        if len(name) <= 3:
            if re.search(rf"\b{name}[a-zа-я]*", low):
                return _MONTHS[name]
        elif name in low:
            return _MONTHS[name]
    return None


def _resolve(month: int, day: int, year: int | None, ref: date | None) -> dict[str, Any]:
    if year is None and ref is not None:
        year = ref.year
        try:
            if date(year, month, day) < ref - timedelta(days=31):
                year += 1
        except ValueError:
            pass
    try:
        if year is not None:
            return {"date": date(year, month, day).isoformat()}
    except ValueError:
        return {}
    return {"date": f"--{month:02d}-{day:02d}"}


def deadline(text: str, ref: date | None = None) -> dict[str, Any] | None:
    t = text.translate(_DIGITS).lower()
    # Numeric dates: 15.03, 15.03.2026, 2026-03-15, 03/15/2026
    m = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", t)
    if m:
        return _resolve(int(m.group(2)), int(m.group(3)), int(m.group(1)), ref) or None
    m = re.search(r"\b(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?\b", t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        if year is not None and year < 100:
            year += 2000
        day, month = (a, b) if ("/" not in m.group(0) or a > 12) else (b, a)
        if 1 <= month <= 12 and 1 <= day <= 31:
            return _resolve(month, day, year, ref) or None
    month = _month_in(t)
    if month is not None:
        days = [int(x) for x in re.findall(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", t) if 1 <= int(x) <= 31]
        ym = re.search(r"\b(20\d\d)\b", t)
        year = int(ym.group(1)) if ym else None
        if days:
            return _resolve(month, days[0], year, ref) or None
        # A month alone ("in March", "в марте"): its first day.
        return _resolve(month, 1, year, ref) or None
    # A day of the current or next month: "the 20th", "20-го", "20 числа", "يوم 20", "20 من الشهر".
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th|-?го|-?е|\s+числа)\b|(?:يوم|اليوم)\s+(\d{1,2})\b"
                  r"|\b(\d{1,2})\s+(?:من\s+)?(?:ال|هال)شهر", t)
    day = int(next(g for g in m.groups() if g)) if m else 0
    if 1 <= day <= 31:
        if ref is None:
            return {"day_of_month": day}
        month, year = ref.month, ref.year
        if day < ref.day:
            month, year = (1, year + 1) if month == 12 else (month + 1, year)
        return _resolve(month, day, year, ref) or None
    if re.search(r"нов\w* год|new year|رأس السنة", t):
        return _resolve(12, 31, None, ref) or None
    for rx, days in _RELATIVE:
        if rx.search(t):
            return {"days": days}
    for rx, what in _END_OF:
        if rx.search(t):
            if ref is None:
                return {"days": {"week": 5, "month": 30, "year": 365, "next_week": 7}[what]}
            if what == "month":
                end = date(ref.year, ref.month, calendar.monthrange(ref.year, ref.month)[1])
            elif what == "week":
                end = ref + timedelta(days=(4 - ref.weekday()) % 7)
            elif what == "year":
                end = date(ref.year, 12, 31)
            else:
                end = ref + timedelta(days=7)
            return {"date": end.isoformat()}
    for name, wd in _WEEKDAYS.items():
        # "mon" must not match "month": English names are whole words, stems elsewhere.
        if (re.search(rf"\b{name}(?:day|sday|nesday|rsday|urday)?\b", t) if name.isascii() else name in t):
            if ref is None:
                return {"weekday": wd}
            ahead = (wd - ref.weekday()) % 7 or 7
            return {"date": (ref + timedelta(days=ahead)).isoformat()}
    qty = _quantity(t)
    for rx, unit in _UNITS:
        if rx.search(t):
            if unit == 0:
                return {"days": 0}
            days = qty * unit
            return {"days": int(days) if float(days).is_integer() else days}
    return None


def _quantity(t: str) -> float:
    if _DUALS.search(t):
        return 2
    m = re.search(r"\d+", t)
    if m:
        return int(m.group())
    for word in re.findall(r"\w+", t):
        if word in _WORD_NUMBERS:
            return _WORD_NUMBERS[word]
    return 1
