"""Messages shared by every feature: errors, refusals, generic words."""

MESSAGES = {
    "error.internal": {
        "en": "Sorry, something went wrong on my side. Your data is safe; please try again.",
        "ru": "Извините, у меня что-то сломалось. Ваши данные целы, попробуйте ещё раз.",
    },
    # --- durations (bot.text.duration) ------------------------------------------------------
    "text.duration.days": {
        "en": "{days} d {hours} h {minutes} min",
        "ru": "{days} д {hours} ч {minutes} мин",
    },
    "text.duration.hours": {"en": "{hours} h {minutes} min", "ru": "{hours} ч {minutes} мин"},
    "text.duration.minutes": {"en": "{minutes} min {seconds} s", "ru": "{minutes} мин {seconds} с"},
    "text.duration.seconds": {"en": "{seconds} s", "ru": "{seconds} с"},
}
