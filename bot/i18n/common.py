"""Messages shared by every feature: errors, refusals, generic words."""

MESSAGES = {
    "error.internal": {
        "en": "Sorry, something went wrong on my side. Your data is safe; please try again.",
        "ru": "Извините, у меня что-то сломалось. Ваши данные целы, попробуйте ещё раз.",
    },
}
