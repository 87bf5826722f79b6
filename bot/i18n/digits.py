"""Messages of the digit reader: photo answers, buttons, pictures, errors and advice."""

MESSAGES = {
    "cmd.digit": {
        "en": "Read a handwritten digit or number from a photo",
        "ru": "Прочитать рукописную цифру или число по фото",
    },
    "digits.help": {
        "en": (
            "<b>Handwritten digits</b>\n"
            "Send me a photo of a digit (0–9) or of a number written on paper, and a neural "
            "network trained on the MNIST digits will read it. I'll show you what it saw "
            "(a 28×28 picture) and how sure it is.\n\n"
            "{advice}"
        ),
        "ru": (
            "<b>Рукописные цифры</b>\n"
            "Пришлите фото цифры (0–9) или числа, написанного на бумаге, и нейросеть, "
            "обученная на цифрах MNIST, его прочитает. Я покажу, что она увидела "
            "(картинку 28×28) и насколько она уверена.\n\n"
            "{advice}"
        ),
    },
    "digits.advice": {
        "en": (
            "<b>Tips for a good photo</b>\n"
            "• write with a dark pen or marker on plain white paper, fairly large;\n"
            "• one digit, or one number on one line, with some space around it;\n"
            "• good even light, no strong shadow over the writing;\n"
            "• hold the phone straight above the paper and fill about half the picture."
        ),
        "ru": (
            "<b>Как сделать хорошее фото</b>\n"
            "• пишите тёмной ручкой или маркером на чистой белой бумаге, покрупнее;\n"
            "• одна цифра или одно число в одну строку, со свободным местом вокруг;\n"
            "• хороший ровный свет, без густой тени на надписи;\n"
            "• держите телефон прямо над листом, чтобы надпись занимала примерно половину кадра."
        ),
    },
    "digits.answer": {
        "en": "I see the digit <b>{digit}</b> — {confidence} sure.\nRunners-up: {runners}.",
        "ru": (
            "Я вижу цифру <b>{digit}</b> — уверенность {confidence}.\nДругие варианты: {runners}."
        ),
    },
    "digits.answer_unsure": {
        "en": (
            "My best guess is <b>{digit}</b>, but I'm only {confidence} sure.\n"
            "Runners-up: {runners}.\nA clearer photo may help: /digit shows how."
        ),
        "ru": (
            "Скорее всего это <b>{digit}</b>, но я уверен лишь на {confidence}.\n"
            "Другие варианты: {runners}.\nЛучше поможет более чёткое фото: /digit подскажет как."
        ),
    },
    "digits.runner": {"en": "{digit} ({confidence})", "ru": "{digit} ({confidence})"},
    "digits.runner_none": {"en": "none worth mentioning", "ru": "заметных нет"},
    "digits.number": {
        "en": "I read the number <b>{number}</b> ({count} digits).\nDigit by digit: {details}.",
        "ru": "Я прочитал число <b>{number}</b> (цифр: {count}).\nПо цифрам: {details}.",
    },
    "digits.lines": {
        "en": "I read {count} lines of digits:\n{lines}\nDigit by digit: {details}.",
        "ru": "Я прочитал цифры по строкам (строк: {count}):\n{lines}\nПо цифрам: {details}.",
    },
    "digits.number_unsure": {
        "en": "\nI'm least sure about digit {position} (<b>{digit}</b>, {confidence}).",
        "ru": "\nМенее всего я уверен в цифре №{position} (<b>{digit}</b>, {confidence}).",
    },
    "digits.caption": {
        "en": "What the network saw, and how likely each digit is.",
        "ru": "Что увидела сеть и насколько вероятна каждая цифра.",
    },
    "digits.caption_number": {
        "en": "What the network saw: each digit as a 28×28 input, with its best guess.",
        "ru": "Что увидела сеть: каждая цифра как вход 28×28 и её лучший вариант.",
    },
    "digits.stages_caption": {
        "en": (
            "How a photo becomes a 28×28 MNIST-style input: greyscale → paper light evened out "
            "→ ink found (threshold) → the digit's strokes chosen → cropped → stroke thickened "
            "→ fitted into 20×20 and centred by its centre of mass."
        ),
        "ru": (
            "Как фото превращается во вход 28×28 в стиле MNIST: оттенки серого → выровненное "
            "освещение бумаги → найденные чернила (порог) → выбранные штрихи цифры → обрезка "
            "→ утолщение линии → вписывание в 20×20 и центрирование по центру масс."
        ),
    },
    "digits.button.stages": {"en": "🔍 How I saw it", "ru": "🔍 Как я это увидел"},
    "digits.button.wrong": {
        "en": "✏️ Wrong? Tell me the right digit",
        "ru": "✏️ Ошибка? Подскажите верную цифру",
    },
    "digits.pick": {
        "en": "Which digit is it really? Tap it:",
        "ru": "Какая это цифра на самом деле? Нажмите её:",
    },
    "digits.thanks": {
        "en": (
            "Thank you! I saved the 28×28 picture I made from this photo as a <b>{digit}</b> "
            "(corrections in this chat: {count}). Corrections help to test and improve the "
            "reader."
        ),
        "ru": (
            "Спасибо! Я сохранил картинку 28×28, которую сделал из этого фото, как "
            "<b>{digit}</b> (исправлений в этом чате: {count}). Исправления помогают проверять "
            "и улучшать распознавание."
        ),
    },
    "digits.expired": {
        "en": "I no longer have that photo in memory. Please send it again.",
        "ru": "Этого фото у меня уже нет в памяти. Пожалуйста, пришлите его ещё раз.",
    },
    "digits.file_too_big": {
        "en": "This file is too big ({size_mb} MB); I accept images up to {limit_mb} MB.",
        "ru": "Файл слишком большой ({size_mb} МБ); я принимаю изображения до {limit_mb} МБ.",
    },
    "digits.error.not_image": {
        "en": "This file is not an image I can open (JPEG, PNG, WebP, GIF, BMP or TIFF).",
        "ru": "Это не изображение, которое я могу открыть (JPEG, PNG, WebP, GIF, BMP или TIFF).",
    },
    "digits.error.broken": {
        "en": "This image file is damaged or incomplete, so I cannot decode it.",
        "ru": "Файл изображения повреждён или недокачан, поэтому я не могу его прочитать.",
    },
    "digits.error.too_large": {
        "en": "This image has too many pixels for me to open safely.",
        "ru": "В этом изображении слишком много пикселей, чтобы безопасно его открыть.",
    },
    "digits.error.too_complex": {
        "en": (
            "This JPEG is saved in far too many passes ({scans}) for me to decode safely. "
            "Send it as an ordinary photo, or save it again as a normal JPEG or PNG."
        ),
        "ru": (
            "Этот JPEG сохранён в слишком большом числе проходов ({scans}), чтобы безопасно "
            "его раскодировать. Отправьте его обычным фото или пересохраните как обычный "
            "JPEG или PNG."
        ),
    },
    "digits.error.unsupported": {
        "en": (
            "I cannot read images stored as {mode}. Please send an ordinary photo, "
            "or save the picture as JPEG or PNG."
        ),
        "ru": (
            "Я не умею читать изображения в формате {mode}. Отправьте обычное фото "
            "или сохраните картинку в JPEG или PNG."
        ),
    },
    "digits.error.too_small": {
        "en": "This image is too small or too narrow to hold a readable digit.",
        "ru": "Изображение слишком маленькое или слишком узкое, чтобы на нём читалась цифра.",
    },
    "digits.error.blank": {
        "en": "The picture looks blank: I cannot find any writing on it.",
        "ru": "Картинка выглядит пустой: я не нахожу на ней ничего написанного.",
    },
    "digits.error.no_digit": {
        "en": (
            "I found marks, but nothing that looks like a digit: maybe it touches the edge "
            "of the photo or is hidden in a shadow."
        ),
        "ru": (
            "Я вижу какие-то пятна, но ничего похожего на цифру: возможно, она касается края "
            "фото или прячется в тени."
        ),
    },
    "digits.picture.seen": {
        "en": "What the network saw\n(28×28 pixels)",
        "ru": "Что увидела сеть\n(28×28 пикселей)",
    },
    "digits.picture.probs": {"en": "Probability of each digit", "ru": "Вероятность каждой цифры"},
    "digits.picture.number": {"en": "Number read: {number}", "ru": "Прочитанное число: {number}"},
    "digits.picture.lines": {"en": "Lines read: {number}", "ru": "Прочитанные строки: {number}"},
    "digits.picture.stages": {
        "en": "From photo to network input",
        "ru": "От фото ко входу сети",
    },
    "digits.stage.grey": {"en": "1. greyscale", "ru": "1. оттенки серого"},
    "digits.stage.flat": {"en": "2. light evened out", "ru": "2. свет выровнен"},
    "digits.stage.ink": {"en": "3. ink (threshold)", "ru": "3. чернила (порог)"},
    "digits.stage.parts": {"en": "4. digit strokes", "ru": "4. штрихи цифры"},
    "digits.stage.crop": {"en": "5. cropped", "ru": "5. обрезка"},
    "digits.stage.thick": {"en": "6. stroke thickened", "ru": "6. линия утолщена"},
    "digits.stage.input": {"en": "7. input 28×28", "ru": "7. вход 28×28"},
}
