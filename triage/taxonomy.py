"""The label names of ../shared/TAXONOMY.md, in one place."""

VERDICTS = ("warm", "toxic", "not_lead")

FLAGS = (
    "unpaid_test",
    "pay_later",
    "profit_share",
    "exposure",
    "lowball",
    "bulk_bait",
    "unrealistic",
    "rush",
    "disrespect",
    "serial_complainer",
    "boundary_pushing",
    "pressure",
)

DETAILS = ("budget", "deadline", "deliverables", "goal", "company")

LANGS = ("en", "ru", "ar", "other")
