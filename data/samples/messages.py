# -*- coding: utf-8 -*-
"""Hand-written sample inbox for `triage`.

Every message below was written by hand, one situation and one voice each.
`build_mbox.py` only encodes them (charset, transfer encoding, RFC 2047
headers, MIME structure) into `inbox.mbox` and writes `labels.json` from the
`label` of each message.

Keys of a message:
  key            short id used in this file only (en01..ar12)
  lang           en / ru / ar
  from_name      display name (encoded with RFC 2047 when not ASCII)
  from_addr      address; also used on the mbox "From " envelope line
  subject        subject text (encoded with RFC 2047 when not ASCII)
  date           RFC 5322 date, November 2026
  message_id     unique Message-ID
  hdr_charset    charset of RFC 2047 encoded words (default utf-8)
  hdr_enc        "B" or "Q" for RFC 2047 encoded words
  charset        body charset
  cte            "7bit", "8bit", "quoted-printable" or "base64"
  kind           "plain"        text/plain only
                 "html"         text/html only (body is HTML)
                 "alternative"  multipart/alternative: body (plain) + html
                 "attachment"   multipart/mixed: body (plain) + attachment
  html           the HTML part for "alternative"
  html_cte       transfer encoding of that HTML part
  attachment     for "attachment": filename + text of the brief that the
                 build script lays out as a small one-page PDF
  extra_headers  list of (name, value) pairs added after the standard ones
  label          {"verdict", "flags", "missing"} per shared/TAXONOMY.md
"""

OWNER = "you@freelancer.example"

MESSAGES = [

# ---------------------------------------------------------------- English

{
    "key": "en01", "lang": "en",
    "from_name": "Maya Okafor", "from_addr": "maya@northsidephysio.example",
    "subject": "Website copy for our second clinic (referred by Tom Aldridge)",
    "date": "Mon, 02 Nov 2026 09:32:00 +0000",
    "message_id": "<b7e1c2a4-1f0d-4c1e-9a51-northside@northsidephysio.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "body": """\
Hi,

Tom Aldridge passed on your address — you wrote the copy for his joinery site last year and he hasn't stopped talking about how many enquiries it brings in.

I'm the practice manager at Northside Physio in Leeds. We've been running one clinic on Otley Road for eight years and we're opening a second one in Headingley in February. The current site was written by one of our physios in an afternoon and, honestly, it reads like it.

What we'd need:
- copy for 6 pages: home, about, treatments, sports injury clinic, pricing, and a page for the new Headingley location
- a short meta description for each page
- one round of revisions after our team has read it through

The goal is simple: more people booking online instead of ringing reception, and the new clinic being findable before it opens.
From our side we can give you a 30-minute call with each of the physios, plus patient reviews you're welcome to quote.

Budget is £2,400 for the lot. We'd like the final copy by 15 January so our developer has time before the February opening.

Does that sound like something you'd take on? Happy to jump on a call this week.

Best,
Maya

-- 
Maya Okafor
Practice Manager, Northside Physio
northsidephysio.example | 0113 496 0000
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "en02", "lang": "en",
    "from_name": "Priya Raman", "from_addr": "priya@ledgerly.example",
    "subject": "Paid trial post for the Ledgerly blog?",
    "date": "Tue, 03 Nov 2026 15:10:00 -0500",
    "message_id": "<CAF3x9Lq2m+trial.post.0311@mail.ledgerly.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "body": """\
Hello,

I run content at Ledgerly — we make bookkeeping software for independent cafés and bakeries, about 3,000 paying customers across the US and Canada. I found you through your piece on pricing for small food businesses, and it's exactly the tone we've been failing to hit.

We'd like to start working with one writer on a regular basis, but I don't believe in unpaid test tasks, so here's what I'd propose instead: a paid trial. One article of about 1,200 words on "How to price a wedding cake without losing money", paid at $450 whether or not we continue. If it goes well, we'd move to two articles a month at the same rate.

What we want out of the blog: owners finding us through search when they're stuck on exactly these questions, and trusting us enough to start a free trial of the app.

Ideally the trial piece would land by December 4. Let me know if that works, or if you'd price it differently.

Thanks,
Priya Raman
Content Lead, Ledgerly
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "en03", "lang": "en",
    "from_name": "Sam Whitaker", "from_addr": "sam@tidewatercoffee.example",
    "subject": "Rush job: 3-email launch sequence (rush fee included)",
    "date": "Mon, 16 Nov 2026 08:05:00 -0800",
    "message_id": "<20261116160500.41822@tidewatercoffee.example>",
    "charset": "utf-8", "cte": "base64", "kind": "plain",
    "body": """\
Hi there,

I'll be upfront: this is urgent, and we know it.

Tidewater Coffee Roasters (a small roastery in Tacoma, tidewatercoffee.example) is launching a coffee subscription on Monday, November 23. Our copywriter went on parental leave earlier than planned — happy news, bad timing — and we need a three-email launch sequence written by Friday, November 20:

1. the announcement to our list (about 4,200 people)
2. "how it works" plus the first-box discount
3. a last-chance reminder before the launch price ends

We're aiming for 250 subscribers in the first month.

Our budget for this was $900. Because we're asking you to drop other things for it, we'll add a 35% rush fee on top, so $1,215 in total, half paid today if you say yes.

If the timeline doesn't work for you, no hard feelings at all — a quick "no" helps us too.

Sam
Head of Marketing, Tidewater Coffee Roasters
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "en04", "lang": "en",
    "from_name": "Ciara Byrne", "from_addr": "ciara@risebakery.example",
    "subject": "Logo + brand book for a bakery co-op - brief attached",
    "date": "Wed, 11 Nov 2026 13:47:00 +0000",
    "message_id": "<0d3f6b1e.rise.brief@risebakery.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "attachment",
    "body": """\
Hi,

Please find our brief attached (it's a one-page PDF, nothing scary).

In short: Rise is a worker-owned bakery co-op in Galway, seven bakers, and we're opening our first shop on Shop Street in March. We need a logo and a small brand book: colours, fonts, and how to use the logo on paper bags, the shopfront sign and our Instagram. We'd love people to understand at a glance that the bakery belongs to the people who bake in it.

We haven't fixed a budget. Honestly, we don't know what this should cost, so we'd rather you quote than we guess. For payment we'd normally do 50% upfront and 50% on delivery, if that suits you.

We need the final files by the end of January so the sign can be made in time.

Thanks a million,
Ciara (on behalf of the Rise collective)
""",
    "attachment": {
        "filename": "Rise_design_brief.pdf",
        "title": "Rise Bakery Co-op - Design brief",
        "text": """\
Who we are: Rise, a worker-owned bakery co-op in Galway (7 bakers).
Why: first shop opens on Shop Street in March 2027. People should
see at a glance that the bakery is owned by the people who bake in it.

Deliverables:
- primary logo and a small secondary mark
- colour palette and two typefaces
- brand book, 10-15 pages: logo use on paper bags, shopfront sign,
  Instagram posts and stories

Timeline: first concepts by mid-December, final files by 31 January.
Budget: not fixed yet - please quote.
Payment: 50% upfront, 50% on delivery.
Contact: Ciara Byrne, ciara@risebakery.example
""",
    },
    "label": {"verdict": "warm", "flags": [], "missing": ["budget"]},
},

{
    "key": "en05", "lang": "en",
    "from_name": "Daniel Hale", "from_addr": "daniel@halemorrow.example",
    "subject": "Re: Portfolio site rewrite - Hale & Morrow",
    "date": "Thu, 12 Nov 2026 17:22:00 +0000",
    "message_id": "<CAH7rT0k+reply2.halemorrow@mail.halemorrow.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "extra_headers": [
        ("In-Reply-To", "<fl-20261111-1004.q7@freelancer.example>"),
        ("References", "<CAH7rT0k+orig.halemorrow@mail.halemorrow.example> <fl-20261111-1004.q7@freelancer.example>"),
    ],
    "body": """\
Hi,

Thanks for the quick reply, and for asking the sensible questions.

Budget: we've set aside £1,800 for the writing. If the case studies turn out to need more work than expected we can talk, but that's the number.
Deadline: our developer wants everything by Friday 29 January. The new site goes live in February.

I'll send over the project photos and the client quotes we have on Monday.

Daniel

On Wed, 11 Nov 2026 at 10:04, <you@freelancer.example> wrote:
> Hi Daniel,
>
> Thanks for getting in touch, this sounds like a lovely project. Before I
> quote, two questions: do you have a budget in mind, and when does the new
> site need to be ready?
>
> Best wishes
>
> On Tue, 10 Nov 2026 at 16:40, Daniel Hale <daniel@halemorrow.example> wrote:
>> Hello,
>>
>> We're a small architecture practice in Bristol (Hale & Morrow, four of us)
>> and we're rebuilding our website. The design is done; the words are not.
>>
>> We need an about page, a short services page and eight project case
>> studies of roughly 250 words each. Most of our work is residential
>> extensions and we'd like the site to bring in more of those commissions,
>> ideally bigger ones.
>>
>> Would you be interested?
>>
>> Daniel
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "en06", "lang": "en",
    "from_name": "Josh Pellow", "from_addr": "josh@rankriver.example",
    "subject": "Writer wanted - 50+ articles/month",
    "date": "Wed, 04 Nov 2026 11:15:00 +0000",
    "message_id": "<rr-outreach-7731@rankriver.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "body": """\
Hey,

We're RankRiver, an SEO content agency. We run the blogs for around 40 clients (mostly home improvement, legal and dental) and we're always looking for reliable writers to help their sites climb the rankings.

How it works: first you write a test article for us, 1,500 words, topic of our choice. The test is unpaid — everyone does one, no exceptions. If it passes our editor we can put you on 50+ articles a month straight away, so you'd never need to look for clients again.

Rate is $15 per article. I know that's lower than what's on your site, but with that kind of volume it more than adds up.

Send me your availability and I'll send over the test topic.

Josh
""",
    "label": {"verdict": "toxic", "flags": ["unpaid_test", "bulk_bait"], "missing": ["deadline"]},
},

{
    "key": "en07", "lang": "en",
    "from_name": "Tyler Brandt", "from_addr": "tyler@loopd.example",
    "subject": "Opportunity to join Loopd early \U0001F680",
    "date": "Fri, 06 Nov 2026 22:48:00 -0800",
    "message_id": "<01000190a7c3-loopd-founder-7f2e@loopd.example>",
    "hdr_enc": "Q",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "html",
    "body": """\
<html>
<head><meta charset="utf-8"></head>
<body style="font-family: Helvetica, Arial, sans-serif; font-size: 14px;">
<p>Hey!</p>
<p>I&#39;m the founder of <b>Loopd</b>, an app that matches dog owners in the same neighbourhood for shared walks. We&#39;re pre-seed, pre-revenue and moving fast. Launch is set for <b>February 14</b>.</p>
<p>I&#39;m looking for a writer to own all our words before launch:</p>
<ul>
<li>the website (landing page + 4 inner pages)</li>
<li>all in-app copy and the onboarding screens</li>
<li>App Store and Google Play listings</li>
<li>the investor pitch deck</li>
</ul>
<p>Full transparency: we don&#39;t have cash for this right now. What I can offer is payment <i>after</i> launch, once our first round closes, plus <b>0.5% equity</b>. And honestly, your name on a product that thousands of people will use is worth more than any invoice. Great portfolio piece, and you&#39;d be getting in on the ground floor.</p>
<p>Let me know if you&#39;re in!<br>
Tyler<br>
Founder &amp; CEO, Loopd</p>
</body>
</html>
""",
    "label": {"verdict": "toxic", "flags": ["pay_later", "profit_share", "exposure"], "missing": []},
},

{
    "key": "en08", "lang": "en",
    "from_name": "Rick", "from_addr": "rick.d.1977@mailbox.example",
    "subject": "logo TONIGHT",
    "date": "Sat, 14 Nov 2026 16:02:00 -0600",
    "message_id": "<a81c4e0b9d2f@mailbox.example>",
    "charset": "utf-8", "cte": "7bit", "kind": "plain",
    "body": """\
Listen, I've been through four so-called designers on Fiverr this month and every single one of them was useless. One sent me clip art. Clip art!!

I need a logo for my business by tonight, 10pm my time latest. It's a logo, not the Sistine Chapel, a real pro knocks this out in 20 minutes. $40, and don't try to upsell me on "brand strategy" like the last clown did.

Printer needs it first thing tomorrow for the business cards.

Rick
""",
    "label": {"verdict": "toxic",
              "flags": ["serial_complainer", "rush", "lowball", "disrespect"],
              "missing": ["company"]},
},

{
    "key": "en09", "lang": "en",
    "from_name": "Zoë Hartmann", "from_addr": "zoe.hartmann@brightlinefitness.example",
    "hdr_enc": "Q",
    "subject": "Social media contract - Brightline Fitness",
    "date": "Tue, 17 Nov 2026 09:00:00 -0500",
    "message_id": "<BL-MKT-20261117-0900@brightlinefitness.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "body": """\
Hi,

Brightline Fitness runs 9 gyms across New Jersey and we're looking for a freelance social media copywriter to grow our membership through Instagram and LinkedIn.

Scope: 3 posts a day across both platforms, plus stories, plus replies to comments and DMs. Starting Monday, November 23.

Our terms:
- you're reachable on Slack 24/7, weekends included. Our members don't stop at 5pm and neither do we.
- unlimited revisions, included in the fee
- any extra content that comes up during the month (ads, emails, flyers) is part of the package
- fixed fee of $600/month

These terms are not up for negotiation. I need a yes by 5pm today, otherwise the contract goes to the next name on my list.

Zoë Hartmann
Marketing Manager, Brightline Fitness
""",
    "label": {"verdict": "toxic", "flags": ["boundary_pushing", "pressure"], "missing": []},
},

{
    "key": "en10", "lang": "en",
    "from_name": "Brandon K.", "from_addr": "brandon@cryptowealthblueprint.example",
    "subject": "sales page that makes $1M",
    "date": "Thu, 19 Nov 2026 03:12:00 +0000",
    "message_id": "<CAMx1M-salespage-9931@cryptowealthblueprint.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "body": """\
Yo!

I've got an ebook, The Crypto Wealth Blueprint (cryptowealthblueprint.example), 47 pages, everything I've learned trading since 2021. What I need is ONE sales page that does $1,000,000 in the first month. I've seen it done, it's all about the right words.

Budget is $50. It's one page of text, you can probably write it in an hour with ChatGPT anyway, so I'm not paying agency money for it.

Let me know 🤙
""",
    "label": {"verdict": "toxic", "flags": ["unrealistic", "lowball"], "missing": ["deadline"]},
},

{
    "key": "en11", "lang": "en",
    "from_name": "The Freelance Brief", "from_addr": "newsletter@freelancebrief.example",
    "subject": "Issue #212: How to raise your rates in January (without losing clients)",
    "date": "Sun, 08 Nov 2026 07:00:00 +0000",
    "message_id": "<issue-212.8841f@freelancebrief.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "alternative",
    "extra_headers": [
        ("List-Id", "The Freelance Brief <weekly.freelancebrief.example>"),
        ("List-Unsubscribe", "<https://freelancebrief.example/unsubscribe?u=8841f>, <mailto:unsubscribe@freelancebrief.example?subject=unsubscribe>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("Precedence", "bulk"),
    ],
    "body": """\
The Freelance Brief - Issue #212
Sunday, 8 November 2026

Hi there,

This week: raising your rates in January, a template for saying no to free test tasks, and three clients who paid late (and what their freelancers did about it).

1. RAISE YOUR RATES IN JANUARY
Send the notice in early December, give existing clients 30 days, and name the new number plainly. No apologies.
Read more: https://freelancebrief.example/212/rates

2. TEMPLATE: "I DON'T DO UNPAID TESTS"
A four-line reply that keeps the door open and offers a paid trial instead.
https://freelancebrief.example/212/paid-trial

3. READER STORIES: LATE PAYERS
Three readers on what they changed after a client paid 90 days late.
https://freelancebrief.example/212/late

That's it for this week. Reply to this email if you have a story for issue #213 — we read everything.

Hannah at The Freelance Brief

--
You're receiving this because you subscribed at freelancebrief.example.
Unsubscribe: https://freelancebrief.example/unsubscribe?u=8841f
The Freelance Brief, 12 Example Lane, Bristol BS1 0AA, UK
""",
    "html_cte": "quoted-printable",
    "html": """\
<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>The Freelance Brief #212</title></head>
<body style="margin:0;background:#f4f1ea;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="600" cellpadding="24" cellspacing="0" style="background:#ffffff;font-family:Georgia,serif;">
<tr><td>
<h1 style="font-size:22px;">The Freelance Brief &middot; Issue #212</h1>
<p style="color:#777;">Sunday, 8 November 2026</p>
<p>Hi there,</p>
<p>This week: raising your rates in January, a template for saying no to free test tasks, and three clients who paid late (and what their freelancers did about it).</p>
<ol>
<li><b>Raise your rates in January.</b> Send the notice in early December, give existing clients 30 days, and name the new number plainly. No apologies. <a href="https://freelancebrief.example/212/rates">Read more</a></li>
<li><b>Template: &ldquo;I don&rsquo;t do unpaid tests&rdquo;.</b> A four-line reply that keeps the door open and offers a paid trial instead. <a href="https://freelancebrief.example/212/paid-trial">Get the template</a></li>
<li><b>Reader stories: late payers.</b> Three readers on what they changed after a client paid 90 days late. <a href="https://freelancebrief.example/212/late">Read the stories</a></li>
</ol>
<p>That&rsquo;s it for this week. Reply to this email if you have a story for issue #213 &mdash; we read everything.</p>
<p>Hannah at The Freelance Brief</p>
</td></tr>
<tr><td style="font-size:11px;color:#999;">
You&rsquo;re receiving this because you subscribed at freelancebrief.example.<br>
<a href="https://freelancebrief.example/unsubscribe?u=8841f">Unsubscribe</a><br>
The Freelance Brief, 12 Example Lane, Bristol BS1 0AA, UK
</td></tr>
</table>
</td></tr></table>
</body>
</html>
""",
    "label": {"verdict": "not_lead", "flags": [], "missing": []},
},

{
    "key": "en12", "lang": "en",
    "from_name": "Hostwise Billing", "from_addr": "billing@hostwise.example",
    "subject": "Receipt for your payment - invoice HW-2026-118204",
    "date": "Fri, 20 Nov 2026 14:31:00 +0000",
    "message_id": "<receipt.HW-2026-118204.1763649060@billing.hostwise.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "extra_headers": [("Auto-Submitted", "auto-generated")],
    "body": """\
Hostwise
Receipt for invoice HW-2026-118204

Hi,

We've received your payment. Thank you!

  Amount paid:      $119.88
  Date paid:        20 November 2026
  Payment method:   Visa ending in 4417
  Plan:             Starter Hosting, annual (21 Nov 2026 – 20 Nov 2027)
  Site:             portfolio.freelancer.example

Your plan renews automatically on 20 November 2027. You can download a PDF copy of this receipt from https://hostwise.example/billing/invoices.

Questions about this receipt? Just reply to this email.

Hostwise Ltd · 1 Sample Street · Dublin D02 XY00 · Ireland
""",
    "label": {"verdict": "not_lead", "flags": [], "missing": []},
},

# ---------------------------------------------------------------- Russian

{
    "key": "ru01", "lang": "ru",
    "from_name": "Гульнара Сафина", "from_addr": "gulnara@prana-kazan.example",
    "hdr_charset": "windows-1251", "hdr_enc": "B",
    "subject": "Текст для лендинга курса для беременных (от Ольги Северцевой)",
    "date": "Mon, 09 Nov 2026 11:20:00 +0300",
    "message_id": "<1731140400.prana.4471@prana-kazan.example>",
    "charset": "windows-1251", "cte": "8bit", "kind": "plain",
    "extra_headers": [("X-Mailer", "The Bat! (v11.2) Professional")],
    "body": """\
Здравствуйте!

Ваш контакт мне дала Ольга Северцева — вы делали тексты для её кондитерской, и она вас очень рекомендовала.

Я руковожу йога-студией «Прана» в Казани (prana-kazan.example). С января запускаем новый курс — йога для беременных, 8 недель, группы до 10 человек. Нужен текст для одностраничного лендинга: первый экран, для кого курс, как проходят занятия, о преподавателе, ответы на частые вопросы, цены и запись.

Задача — набрать две группы к старту 12 января. Сейчас мамы узнают о нас только по сарафанному радио, хотим попробовать таргет во ВКонтакте, и лендинг нужен под него.

Бюджет — 25 000 руб. Хорошо бы получить готовый текст до 10 декабря, чтобы успеть сверстать страницу и запустить рекламу.

Если интересно, давайте созвонимся, расскажу подробнее про методику.

Гульнара Сафина
студия «Прана»
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "ru02", "lang": "ru",
    "from_name": "Ирина Белова", "from_addr": "irina@laochai.example",
    "hdr_charset": "koi8-r", "hdr_enc": "Q",
    "subject": "Описания товаров для чайного магазина, тестовое оплачиваем",
    "date": "Tue, 10 Nov 2026 14:05:00 +0300",
    "message_id": "<20261110110500.GA3391@mx.laochai.example>",
    "charset": "koi8-r", "cte": "quoted-printable", "kind": "plain",
    "extra_headers": [("User-Agent", "Mutt/2.2.12 (2023-09-09)")],
    "body": """\
Добрый день!

Меня зовут Ирина, я совладелица интернет-магазина "Чайная лавка Лао"
(laochai.example). Продаем китайский чай и посуду, работаем шестой год.

У нас 120 карточек товаров, и в каждой сейчас по две строчки, скопированные
у поставщика. Хотим переписать все описания: 500-700 знаков на карточку,
вкус, история сорта, как заваривать. Цель - чтобы нас лучше находили в
поиске и чтобы люди реже возвращали чай "не того вкуса".

Бесплатных тестовых не просим, это неправильно. Предлагаем платный тест:
5 карточек за 2 500 руб. Если сработаемся, остальные 115 по 450 руб. за
карточку. Хотелось бы закончить все до 25 декабря, до новогодних продаж.

Напишите, пожалуйста, удобно ли вам так.

С уважением,
Ирина Белова
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "ru03", "lang": "ru",
    "from_name": "Давид Гелашвили", "from_addr": "david@mtskheta-spb.example",
    "hdr_enc": "B",
    "subject": "Срочно: тексты меню к открытию, за срочность доплатим",
    "date": "Mon, 16 Nov 2026 19:40:00 +0300",
    "message_id": "<CAN+menu.mtskheta.1611@mtskheta-spb.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "body": """\
Добрый вечер!

Пишу по срочному делу, сразу извиняюсь за сроки.

Мы открываем ресторан грузинской кухни «Мцхета» на Петроградской стороне, открытие 28 ноября. Копирайтер, с которым договаривались, пропал — на звонки не отвечает уже неделю. Не жалуюсь, бывает.

Что нужно к пятнице, 20 ноября:
— описания 40 блюд для меню, по 1–2 предложения;
— текст для главной страницы сайта, около 2 000 знаков;
— короткий текст «о нас» для Яндекс Карт.

Базовый бюджет — 18 000 ₽. Понимаем, что срок жёсткий, поэтому доплачиваем 50% за срочность, итого 27 000 ₽. Половину можем перевести сегодня же.

Хотим, чтобы гости ещё до открытия понимали: у нас настоящая домашняя кухня, а не «хинкали из морозилки».

Если не возьмётесь — ничего страшного, просто дайте знать.

Давид
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "ru04", "lang": "ru",
    "from_name": "Наталья", "from_addr": "natalia.tver.tort@mail.example",
    "hdr_enc": "B",
    "subject": "Сколько стоит сайт?",
    "date": "Sat, 07 Nov 2026 21:14:00 +0300",
    "message_id": "<1578301762.20261107211400@mail.example>",
    "charset": "utf-8", "cte": "base64", "kind": "plain",
    "body": """\
Здравствуйте! Подскажите, сколько у вас стоит сайт? У меня маленькая домашняя пекарня в Твери, печём торты и пироги на заказ. Хочу, чтобы заказывали онлайн, а не через директ в инстаграме, я там уже путаюсь во всех переписках.

Спасибо!
Наталья

Отправлено из мобильной Почты
""",
    "label": {"verdict": "warm", "flags": [], "missing": ["budget", "deadline", "deliverables"]},
},

{
    "key": "ru05", "lang": "ru",
    "from_name": "Артём Ковалёв", "from_addr": "artem@teplodom.example",
    "hdr_enc": "Q",
    "subject": "Re: Статьи для блога ТеплоДом",
    "date": "Thu, 12 Nov 2026 16:48:00 +0500",
    "message_id": "<5f2a9c11-teplodom-re2@teplodom.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "extra_headers": [
        ("In-Reply-To", "<fl-20261112-1215.k2@freelancer.example>"),
        ("References", "<5f2a9c11-teplodom-orig@teplodom.example> <fl-20261112-1215.k2@freelancer.example>"),
    ],
    "body": """\
Добрый день!

Вы правы насчёт тестового, я не подумал. Бесплатное тестовое отменяем. Давайте так: первая статья платная, 4 000 ₽, как и все остальные. Если по ней не сойдёмся, просто расстанемся.

По срокам: первые две статьи нужны до 15 декабря, дальше по одной в неделю.

Дам вам контакт нашего инженера для консультаций, он расскажет про насосы лучше любой википедии.

Артём

12.11.2026 12:15, you@freelancer.example пишет:
> Артём, здравствуйте!
>
> Спасибо за интерес, тема мне близка, за тепловые насосы возьмусь с
> удовольствием. Но бесплатных тестовых заданий я не делаю. Могу
> предложить платную первую статью по обычной ставке: если не подойдёт,
> расстанемся без обид.
>
> И подскажите, к какому сроку нужны первые материалы?
>
> 11.11.2026 10:30, Артём Ковалёв пишет:
>> Здравствуйте!
>>
>> Компания «ТеплоДом», Екатеринбург: продаём и монтируем тепловые насосы
>> для частных домов. Хотим вести блог, чтобы люди приходили из поиска и
>> оставляли заявки на расчёт.
>>
>> Нужен цикл из 8 статей по 8–10 тыс. знаков. Ставка — 4 000 ₽ за
>> статью. Сначала хотим бесплатное тестовое: одна статья, если
>> понравится — берём в работу.
>>
>> Артём Ковалёв
>> маркетолог «ТеплоДом»
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "ru06", "lang": "ru",
    "from_name": "Вадим", "from_addr": "vadim.nogti@mail.example",
    "hdr_enc": "B",
    "subject": "Партнёрство в перспективном проекте",
    "date": "Wed, 04 Nov 2026 01:37:00 +0300",
    "message_id": "<a9d0f7e2c41b.vadim@mail.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "body": """\
Здравствуйте!

Сразу к делу. Запускаю маркетплейс для мастеров маникюра — «НогтиОнлайн». Личные кабинеты мастеров, онлайн-запись, отзывы, оплата картой, чат с клиентом, мобильная версия. По сути Авито плюс YClients, только лучше.

Денег на старте нет, честно говорю. Зато предлагаю вам 30% от прибыли проекта — не разовую подачку, а долю. Первые деньги появятся сразу после запуска, тогда и рассчитаемся. По моим расчётам, через полгода выходим на миллион в месяц, а через год вся Россия наша.

Такой шанс бывает раз в жизни. Жду ответа!

Вадим
""",
    "label": {"verdict": "toxic", "flags": ["profit_share", "pay_later", "unrealistic"], "missing": ["deadline"]},
},

{
    "key": "ru07", "lang": "ru",
    "from_name": "Лариса Петровна", "from_addr": "salon.larisa@mail.example",
    "hdr_enc": "B",
    "subject": "Re: Текст для главной страницы",
    "date": "Fri, 13 Nov 2026 12:09:00 +0300",
    "message_id": "<8812377140.larisa@mail.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "extra_headers": [("In-Reply-To", "<fl-20261113-0940.x1@freelancer.example>")],
    "body": """\
Вы цены с потолка берёте? 12 000 за текст на главную страницу?? Там три абзаца написать. Мне племянник-школьник за 500 рублей напишет, просто у него времени нет.

Давайте 2 000, и я не буду вас учить, как надо работать. У нас салон красоты «Лариса» на Ленина, так что радуйтесь, что вообще к вам обратились.
""",
    "label": {"verdict": "toxic", "flags": ["lowball", "disrespect"], "missing": ["deadline", "goal"]},
},

{
    "key": "ru08", "lang": "ru",
    "from_name": "Текстовик Про", "from_addr": "hr@tekstovik.example",
    "hdr_enc": "Q",
    "subject": "Постоянная работа для копирайтера: 100 статей в месяц",
    "date": "Mon, 02 Nov 2026 10:00:00 +0700",
    "message_id": "<hr-2026-11-02-0147@tekstovik.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "body": """\
Добрый день!

Контент-агентство «Текстовик Про» набирает авторов на удалёнку. Мы пишем статьи для сайтов наших клиентов (строительство, медицина, юридические услуги), чтобы продвигать их в поиске.

Предлагаем постоянный поток: от 100 статей в месяц, без простоев, работы хватит на годы вперёд. Ставка 60 ₽ за 1000 знаков без пробелов. Понимаем, что это ниже рынка, но за стабильность стоит немного уступить.

Обязательные условия:
• быть на связи в Телеграме ежедневно с 8:00 до 23:00, включая выходные;
• отвечать на сообщения менеджера в течение 10 минут;
• отчёт о ходе работы каждые 30 минут;
• правки по первому требованию, без ограничения по количеству.

Старт — с понедельника, 9 ноября. Если условия подходят, пришлите резюме и ссылки на три работы.

-- 
Алина Ремизова
HR-менеджер «Текстовик Про»
tekstovik.example
Работаем, пока другие отдыхают!
""",
    "label": {"verdict": "toxic", "flags": ["bulk_bait", "boundary_pushing"], "missing": []},
},

{
    "key": "ru09", "lang": "ru",
    "from_name": "Сеть кофеен «Зерно»", "from_addr": "marketing@zerno-coffee.example",
    "hdr_enc": "B",
    "subject": "Приглашаем на конкурс логотипов для сети кофеен «Зерно»",
    "date": "Wed, 18 Nov 2026 15:30:00 +0400",
    "message_id": "<konkurs-logo-2026.18.11@zerno-coffee.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "alternative",
    "body": """\
Здравствуйте!

Сеть кофеен «Зерно» (12 точек в Самаре и Тольятти) проводит ребрендинг и приглашает дизайнеров принять участие в конкурсе на новый логотип.

Условия:
1. Присылаете 2–3 варианта логотипа в векторе до 30 ноября.
2. Мы выбираем лучший вместе с нашими гостями — голосование в соцсетях.
3. Победитель получает 15 000 ₽ и отметку в нашем инстаграме (38 тысяч подписчиков). Это отличная реклама для вашего портфолио!

Остальные работы не оплачиваются, но лучшие из них мы тоже покажем в сторис с указанием автора.

Новый логотип нужен, чтобы «Зерно» выглядело как современная городская кофейня, а не как столовая.

С уважением,
отдел маркетинга «Зерно»
""",
    "html_cte": "base64",
    "html": """\
<html>
<body style="font-family: Arial, sans-serif; color: #3b2a1e;">
<p>Здравствуйте!</p>
<p>Сеть кофеен <b>«Зерно»</b> (12 точек в Самаре и Тольятти) проводит ребрендинг и приглашает дизайнеров принять участие в конкурсе на новый логотип.</p>
<p><b>Условия:</b></p>
<ol>
<li>Присылаете 2–3 варианта логотипа в векторе до <b>30 ноября</b>.</li>
<li>Мы выбираем лучший вместе с нашими гостями — голосование в соцсетях.</li>
<li>Победитель получает <b>15 000 ₽</b> и отметку в нашем инстаграме (38 тысяч подписчиков). Это отличная реклама для вашего портфолио!</li>
</ol>
<p>Остальные работы не оплачиваются, но лучшие из них мы тоже покажем в сторис с указанием автора.</p>
<p>Новый логотип нужен, чтобы «Зерно» выглядело как современная городская кофейня, а не как столовая.</p>
<p>С уважением,<br>
отдел маркетинга «Зерно»</p>
</body>
</html>
""",
    "label": {"verdict": "toxic", "flags": ["unpaid_test", "exposure"], "missing": []},
},

{
    "key": "ru10", "lang": "ru",
    "from_name": "Кристина | Стройная Я", "from_addr": "kristina@stroynaya-ya.example",
    "hdr_enc": "B",
    "subject": "СРОЧНО текст для лендинга",
    "date": "Sat, 21 Nov 2026 17:55:00 +0300",
    "message_id": "<CAK9srochno.2111.1755@stroynaya-ya.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "body": """\
Добрый день. Нужен продающий текст для лендинга нашего онлайн-курса «Стройная Я: минус 10 кг за 21 день». Текст должен окупить рекламу минимум в 10 раз. Предыдущий не окупал, поэтому ищу нормального специалиста.

Сдать нужно сегодня до 21:00. Да, сегодня. Вы же профессионал, для вас это пара часов.

Решение жду в течение часа, у меня ещё пять кандидатов. Если начнёте торговаться или задавать лишние вопросы — сразу нет.
""",
    "label": {"verdict": "toxic", "flags": ["unrealistic", "rush", "lowball", "pressure"], "missing": ["budget"]},
},

{
    "key": "ru11", "lang": "ru",
    "from_name": "Фрилансбиржа", "from_addr": "noreply@freelancebirzha.example",
    "hdr_enc": "B",
    "subject": "Заказчик принял работу по заказу №48213",
    "date": "Tue, 17 Nov 2026 09:12:00 +0300",
    "message_id": "<notify.order-48213.accepted.7721904@freelancebirzha.example>",
    "charset": "utf-8", "cte": "base64", "kind": "plain",
    "extra_headers": [("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All")],
    "body": """\
Здравствуйте!

Заказчик принял работу по заказу №48213 «Тексты для сайта автосервиса».

Сумма к выплате: 14 250 ₽ (с учётом комиссии сервиса 5%).
Деньги поступят на ваш баланс в течение 3 рабочих дней.

Оставьте отзыв о заказчике — это поможет другим исполнителям.
Перейти к заказу: https://freelancebirzha.example/orders/48213

Это автоматическое уведомление, отвечать на него не нужно.
Настроить уведомления: https://freelancebirzha.example/settings/notifications
""",
    "label": {"verdict": "not_lead", "flags": [], "missing": []},
},

{
    "key": "ru12", "lang": "ru",
    "from_name": "Потоковые заказы", "from_addr": "hello@potok-school.example",
    "hdr_enc": "Q",
    "subject": "Как получать 20 заказов в неделю без бирж — бесплатный вебинар",
    "date": "Thu, 19 Nov 2026 10:00:00 +0300",
    "message_id": "<mailing.7f31.2026-11-19.552190@send.potok-school.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "extra_headers": [
        ("List-Unsubscribe", "<https://potok-school.example/unsub?id=552190>"),
        ("Precedence", "bulk"),
    ],
    "body": """\
Устали от клиентов, которые просят бесплатное тестовое, платят «после запуска» и хотят правки до бесконечности?

26 ноября в 19:00 (мск) — бесплатный вебинар «20 заказов в неделю без бирж».

За 90 минут разберём:
✔ где искать заказчиков, которые платят 100% предоплату;
✔ как поднять чек в 3 раза и не потерять клиентов;
✔ готовые скрипты ответов на «а можно подешевле?».

Ведущая — Марина Лесная, 9 лет во фрилансе, 600+ учеников.

Всем участникам — скидка 40% на курс «Фрилансер на потоке» до 30 ноября.

👉 Зарегистрироваться: https://potok-school.example/webinar

Вы получили это письмо, потому что подписались на рассылку школы «Потоковые заказы».
Отписаться: https://potok-school.example/unsub?id=552190
""",
    "label": {"verdict": "not_lead", "flags": [], "missing": []},
},

# ---------------------------------------------------------------- Arabic

{
    "key": "ar01", "lang": "ar",
    "from_name": "د. سارة القحطاني", "from_addr": "sara@ibtisama-dental.example",
    "hdr_charset": "windows-1256", "hdr_enc": "B",
    "subject": "محتوى موقع عيادة ابتسامة - بترشيح من ريم العتيبي",
    "date": "Sun, 08 Nov 2026 10:15:00 +0300",
    "message_id": "<000a01dc51e2$8f3c2b10$ibtisama@ibtisama-dental.example>",
    "charset": "windows-1256", "cte": "quoted-printable", "kind": "plain",
    "extra_headers": [("X-Mailer", "Microsoft Outlook 16.0")],
    "body": """\
السلام عليكم ورحمة الله،

حصلت على بريدك من الأستاذة ريم العتيبي، وقد أثنت كثيراً على المحتوى الذي كتبته لمتجرها.

أنا د. سارة القحطاني، مديرة عيادة ابتسامة لطب الأسنان في الرياض (ibtisama-dental.example). سنفتتح فرعنا الثاني في حي الملقا مطلع فبراير، ونحتاج إلى إعادة كتابة محتوى الموقع باللغتين العربية والإنجليزية:
- الصفحة الرئيسية
- من نحن
- الخدمات (تقويم، زراعة، تبييض، أسنان الأطفال)
- صفحة الفرع الجديد
- الأسئلة الشائعة

هدفنا أن يحجز المرضى مواعيدهم عبر الموقع مباشرة بدلاً من الاتصال، وأن يظهر الفرع الجديد في نتائج البحث قبل افتتاحه.

الميزانية المخصصة 6,000 ريال سعودي، ونحتاج المحتوى النهائي قبل 20 ديسمبر.

هل يناسبك ذلك؟ يسعدني ترتيب مكالمة قصيرة هذا الأسبوع.

مع خالص التحية،
د. سارة القحطاني
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "ar02", "lang": "ar",
    "from_name": "خالد المنصوري", "from_addr": "khalid@dar-aloud.example",
    "hdr_enc": "Q",
    "subject": "وصف منتجات لمتجر دار العود - مهمة تجريبية مدفوعة",
    "date": "Tue, 10 Nov 2026 13:30:00 +0400",
    "message_id": "<CAD4r.aloud.1011.product-copy@dar-aloud.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "body": """\
مرحباً،

أنا خالد من متجر دار العود (dar-aloud.example)، متجر إلكتروني في دبي متخصص في العود والبخور والعطور الشرقية.

لدينا 60 منتجاً على الموقع بأوصاف قصيرة جداً ومنسوخة من المورّد، ونريد أوصافاً جديدة بالعربية، حوالي 120 كلمة لكل منتج، تصف الرائحة والمكونات وطريقة الاستخدام. الهدف زيادة المبيعات وتقليل الأسئلة المتكررة التي تصلنا على الواتساب.

لا نطلب مهمة تجريبية مجانية، فهذا غير عادل للكاتب. نقترح مهمة تجريبية مدفوعة: 5 أوصاف مقابل 500 درهم، وإذا اتفقنا نكمل الباقي بسعر 90 درهماً للوصف.

نتمنى الانتهاء قبل عروض اليوم الوطني في 2 ديسمبر.

تحياتي،
خالد المنصوري
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "ar03", "lang": "ar",
    "from_name": "منى الشريف", "from_addr": "mona@nile-events.example",
    "hdr_enc": "B",
    "subject": "عاجل: نصوص مؤتمر الأسبوع القادم (مع رسوم استعجال)",
    "date": "Sun, 15 Nov 2026 11:00:00 +0200",
    "message_id": "<nile-events.20261115.0900.mona@nile-events.example>",
    "charset": "utf-8", "cte": "base64", "kind": "plain",
    "body": """\
أهلاً بحضرتك،

أكتب إليك من شركة نايل إيفنتس لتنظيم المؤتمرات في القاهرة. نعرف أن الطلب عاجل، ونحن مستعدون لدفع رسوم استعجال.

ننظم مؤتمر "مستقبل التجزئة في مصر" يوم 25 نوفمبر، واعتذرت الكاتبة التي كانت تعمل معنا لظروف صحية. نحتاج حتى يوم الخميس 19 نوفمبر:
١. نص كتيّب المؤتمر (8 صفحات تقريباً)
٢. عشرة منشورات لحسابات المؤتمر على لينكدإن وإنستغرام
٣. كلمة افتتاحية لرئيس مجلس الإدارة (5 دقائق)

ميزانيتنا الأساسية 15,000 جنيه، وسنضيف 40% رسوم استعجال، أي 21,000 جنيه إجمالاً، ونحوّل نصف المبلغ فور موافقتك.

نريد أن يظهر المؤتمر بشكل احترافي وأن نصل إلى 600 مسجّل على الأقل.

لو الوقت لا يناسبك أتفهم ذلك تماماً، فقط أخبرني.

منى الشريف
مديرة التسويق، نايل إيفنتس
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "ar04", "lang": "ar",
    "from_name": "يوسف حداد", "from_addr": "yousef@beit-teta.example",
    "hdr_enc": "B",
    "subject": "شعار وتصميم قائمة طعام لمطعم بيت تيتا",
    "date": "Wed, 18 Nov 2026 20:20:00 +0300",
    "message_id": "<c3e19f57-beit-teta-menu@beit-teta.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "body": """\
مساء الخير،

نحن عائلة صغيرة نفتتح مطعماً للأكل الشامي البيتي في جبل اللويبدة في عمّان اسمه "بيت تيتا"، والافتتاح في منتصف يناير إن شاء الله.

نحتاج:
- شعاراً للمطعم
- تصميم قائمة الطعام (صفحتان، حوالي 35 صنفاً، بالعربية والإنجليزية)
- لافتة للواجهة بنفس الهوية

نريد أن يشعر الزبون أنه داخل إلى بيت جدته، لا إلى مطعم سياحي.

لم نحدد ميزانية بعد، فكم تكلفة هذا العمل عندك؟ وبالنسبة للدفع نحن مرتاحون لنظام 50% مقدماً و50% عند التسليم.

شكراً لوقتك.

-- 
يوسف حداد
مطعم بيت تيتا - جبل اللويبدة، عمّان
هاتف: 0790000000
""",
    "label": {"verdict": "warm", "flags": [], "missing": ["budget"]},
},

{
    "key": "ar05", "lang": "ar",
    "from_name": "لينا عيسى", "from_addr": "lina@iqraa-maai.example",
    "hdr_enc": "Q",
    "subject": "Re: التقرير السنوي لمبادرة اقرأ معي",
    "date": "Thu, 19 Nov 2026 09:40:00 +0200",
    "message_id": "<CAJ8lina.re.1911@iqraa-maai.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "extra_headers": [
        ("In-Reply-To", "<fl-20261117-1605.r3@freelancer.example>"),
        ("References", "<CAJ8lina.orig.1611@iqraa-maai.example> <fl-20261117-1605.r3@freelancer.example>"),
    ],
    "body": """\
صباح الخير،

شكراً على ردك السريع وعلى أسئلتك.

الميزانية المتاحة للكتابة 3,500 دولار، وهي من منحة مخصصة للتقرير. ونحتاج النص النهائي قبل 31 يناير لأن التقرير سيُعرض على المانحين في لقاء فبراير.

سأرسل لك الأرقام وقصص المتعلمين يوم الإثنين.

لينا

في الثلاثاء، 17 نوفمبر 2026 في 4:05 م، كتب <you@freelancer.example>:
> أهلاً لينا،
>
> شكراً لتواصلك، يسعدني العمل على التقرير. قبل أن أرسل عرض السعر:
> ما الميزانية المتاحة، ومتى تحتاجون النص النهائي؟
>
> في الاثنين، 16 نوفمبر 2026 في 11:30 ص، كتب لينا عيسى <lina@iqraa-maai.example>:
>> مرحباً،
>>
>> أنا لينا من مبادرة "اقرأ معي"، وهي مبادرة غير ربحية لمحو أمية
>> الكبار في طرابلس وعكار.
>>
>> نحتاج كاتباً لصياغة تقريرنا السنوي لعام 2026: حوالي 12 صفحة، مع
>> قصص قصيرة عن خمسة متعلمين. نريد أن يفهم المانحون أثر دعمهم وأن
>> يجددوه للعام القادم.
>>
>> هل هذا من نوع العمل الذي تقوم به؟
""",
    "label": {"verdict": "warm", "flags": [], "missing": []},
},

{
    "key": "ar06", "lang": "ar",
    "from_name": "إدارة شاورما الريم", "from_addr": "admin@alreem-shawarma.example",
    "hdr_enc": "Q",
    "subject": "طلب تصميم شعار",
    "date": "Mon, 02 Nov 2026 18:00:00 +0300",
    "message_id": "<20261102150000.alreem.logo@alreem-shawarma.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "body": """\
السلام عليكم،

نحن سلسلة مطاعم شاورما الريم، 14 فرعاً في جدة ومكة، واسمنا معروف جداً في السوق كما تعلم. نعمل حالياً على تجديد هويتنا.

المطلوب منك تصميم 3 مقترحات للشعار الجديد مجاناً، وإذا أعجبنا أحدها سنتعامل معك في باقي الهوية. نحن لا ندفع مقابل المقترحات، هذه سياستنا مع كل المصممين.

وصدقني، مجرد أن يظهر اسمك مع اسم الريم فرصة عظيمة لملف أعمالك، وكثيرون يتمنونها.

بانتظار المقترحات.
""",
    "label": {"verdict": "toxic", "flags": ["unpaid_test", "exposure"], "missing": ["budget", "deadline"]},
},

{
    "key": "ar07", "lang": "ar",
    "from_name": "وكالة أفق للتسويق", "from_addr": "projects@ofoq-agency.example",
    "hdr_enc": "B",
    "subject": "مشروع موقع تعريفي - الدفع بعد استلام العميل",
    "date": "Wed, 04 Nov 2026 14:45:00 +0300",
    "message_id": "<ofoq.prj.2026.1104.fahad@ofoq-agency.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "body": """\
مرحباً،

معك فهد من وكالة أفق للتسويق في الرياض. عندنا عميل، شركة مقاولات، يحتاج موقعاً تعريفياً من 4 صفحات (الرئيسية، من نحن، المشاريع، اتصل بنا) خلال أسبوعين.

نظامنا مع المستقلين: لا دفعات مقدمة. ندفع 100% بعد التسليم وبعد أن يدفع لنا العميل، وعادةً يتأخر شهرين أو ثلاثة. المبلغ 2,000 ريال. أو إذا تحب، نعطيك بدلاً منه 10% من أرباح الوكالة من هذا العميل طوال فترة تعاقدنا معه، وهذا أفضل لك على المدى الطويل.

أخبرني بقرارك.

فهد
""",
    "label": {"verdict": "toxic", "flags": ["pay_later", "profit_share"], "missing": ["goal"]},
},

{
    "key": "ar08", "lang": "ar",
    "from_name": "أم فيصل", "from_addr": "basma.kids.store@mail.example",
    "hdr_enc": "Q",
    "subject": "هوية بصرية لمتجر بسمة",
    "date": "Fri, 13 Nov 2026 23:50:00 +0300",
    "message_id": "<m.7d12aa90.basma@mail.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "plain",
    "body": """\
السلام عليكم

جربنا قبلك خمسة مصممين، كلهم بلا استثناء فاشلين وما يفهمون شي، واحد منهم حتى ما عرف يكتب اسم المتجر صح. أتمنى تكون أحسن منهم لأن صبري خلص.

متجرنا "بسمة" لملابس الأطفال على إنستغرام. نبي هوية كاملة: شعار، بطاقة عمل، ملصقات للأكياس، و10 قوالب لمنشورات إنستغرام. الميزانية 1,500 ريال شاملة كل شي.

شروطنا: التعديلات مفتوحة بدون حد لين نرضى، وتكون متاح على الواتساب ليل ونهار لأني أشتغل بالليل بعد ما ينامون العيال. ولا تتفلسف علينا بكلام المصممين، نبي شغل وبس.
""",
    "label": {"verdict": "toxic",
              "flags": ["serial_complainer", "boundary_pushing", "disrespect"],
              "missing": ["deadline", "goal"]},
},

{
    "key": "ar09", "lang": "ar",
    "from_name": "موقع صحتك اليوم", "from_addr": "editor@sehtak-today.example",
    "hdr_enc": "B",
    "subject": "مطلوب كاتب محتوى طبي - عمل مستمر",
    "date": "Sat, 07 Nov 2026 12:00:00 +0200",
    "message_id": "<sehtak.hiring.20261107@sehtak-today.example>",
    "charset": "utf-8", "cte": "base64", "kind": "plain",
    "body": """\
مرحباً،

موقع "صحتك اليوم" من أكبر المواقع الطبية العربية، ونبحث عن كاتب محتوى لزيادة زيارات الموقع من محركات البحث.

عندنا شغل كثير ومستمر: 200 مقالة شهرياً على الأقل، كل مقالة 800 كلمة. السعر 3 دولارات للمقالة، وهو سعر ممتاز بصراحة لأن المقالات سهلة جداً وأي طالب يقدر يكتبها، مجرد إعادة صياغة من مصادر إنجليزية. ومقابل هذا الكم من الشغل نتوقع طبعاً أن توافق على السعر.

إذا وافقت نرسل لك أول عشر مقالات.

فريق التحرير
""",
    "label": {"verdict": "toxic", "flags": ["bulk_bait", "lowball"], "missing": ["deadline"]},
},

{
    "key": "ar10", "lang": "ar",
    "from_name": "عمر", "from_addr": "omar.fithome@mail.example",
    "hdr_enc": "B",
    "subject": "إعلان يجيب 10 آلاف عميل",
    "date": "Sat, 21 Nov 2026 08:30:00 +0400",
    "message_id": "<3b7e0c2d.omar.fithome@mail.example>",
    "charset": "utf-8", "cte": "8bit", "kind": "plain",
    "body": """\
عندي متجر أجهزة رياضية منزلية (فِت هوم). أبي 3 نصوص إعلانية لفيسبوك وإنستغرام تجيب لي 10,000 عميل خلال أسبوع، وميزانية الإعلان كلها 100 دولار. أكيد يصير إذا النص قوي.

أبي النصوص خلال ساعتين من الآن، وأدفع لك 150 دولار.

ما في مجال للنقاش ولا أبي أسئلة. يا توافق الحين يا أدور غيرك، عندي ناس كثير ينتظرون.
""",
    "label": {"verdict": "toxic", "flags": ["unrealistic", "rush", "pressure"], "missing": []},
},

{
    "key": "ar11", "lang": "ar",
    "from_name": "فوترة سحاب للاستضافة", "from_addr": "billing@sahab-hosting.example",
    "hdr_enc": "B",
    "subject": "إيصال دفع رقم SH-2026-55921",
    "date": "Thu, 05 Nov 2026 06:00:00 +0300",
    "message_id": "<receipt.SH-2026-55921@billing.sahab-hosting.example>",
    "charset": "utf-8", "cte": "quoted-printable", "kind": "html",
    "extra_headers": [("Auto-Submitted", "auto-generated")],
    "body": """\
<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>إيصال دفع</title></head>
<body style="font-family: Tahoma, Arial, sans-serif; direction: rtl;">
<p>مرحباً،</p>
<p>شكراً لك! تم استلام دفعتك بنجاح، وهذه تفاصيل الإيصال:</p>
<table border="1" cellpadding="6" cellspacing="0" style="border-collapse: collapse;">
<tr><th>البند</th><th>التفاصيل</th></tr>
<tr><td>رقم الإيصال</td><td>SH-2026-55921</td></tr>
<tr><td>الخدمة</td><td>استضافة "المحترف" - اشتراك سنوي</td></tr>
<tr><td>الفترة</td><td>5 نوفمبر 2026 - 4 نوفمبر 2027</td></tr>
<tr><td>المبلغ</td><td>449 ريال سعودي (شامل ضريبة القيمة المضافة)</td></tr>
<tr><td>طريقة الدفع</td><td>مدى **** 2093</td></tr>
</table>
<p>يمكنك تحميل الفاتورة الضريبية من لوحة التحكم.<br>
هذه رسالة آلية، يرجى عدم الرد عليها.</p>
<p>فريق سحاب للاستضافة<br>
sahab-hosting.example</p>
</body>
</html>
""",
    "label": {"verdict": "not_lead", "flags": [], "missing": []},
},

{
    "key": "ar12", "lang": "ar",
    "from_name": "منصة لانسر", "from_addr": "notifications@lancer-platform.example",
    "hdr_enc": "B",
    "subject": "حصلت على تقييم جديد ★★★★★",
    "date": "Mon, 16 Nov 2026 15:20:00 +0300",
    "message_id": "<ntf-review-99318274@lancer-platform.example>",
    "charset": "utf-8", "cte": "base64", "kind": "plain",
    "extra_headers": [("Auto-Submitted", "auto-generated")],
    "body": """\
مرحباً،

أضاف العميل "مؤسسة الضياء للتجارة" تقييماً جديداً لعملك في مشروع "كتابة محتوى صفحة من نحن":

★★★★★
"عمل ممتاز والتزام بالموعد، أنصح بالتعامل معه."

تم تحرير مبلغ المشروع إلى رصيدك، ويمكنك طلب السحب من صفحة الأرباح.

لعرض التقييم: https://lancer-platform.example/reviews/99318274

لإيقاف هذه الإشعارات، عدّل إعداداتك من صفحة الحساب.
فريق لانسر
""",
    "label": {"verdict": "not_lead", "flags": [], "missing": []},
},

]
