"""Messages of tables: the preview, parser errors (with how to fix them), examples, /predict."""

MESSAGES = {
    "cmd.table": {
        "en": "Send a training table (or a CSV file)",
        "ru": "Прислать обучающую таблицу (или CSV-файл)",
    },
    "cmd.examples": {
        "en": "Ready tables: XOR, the article's examples, digits…",
        "ru": "Готовые таблицы: XOR, примеры из статьи, цифры…",
    },
    "cmd.predict": {
        "en": "Ask the trained network, e.g. /predict 1 0 0",
        "ru": "Спросить обученную сеть, например /predict 1 0 0",
    },
    "cmd.explain": {
        "en": (
            "Step by step for a row, a name or new inputs: forward pass, loss, chain rule, update"
        ),
        "ru": (
            "По шагам для строки, имени или новых входов: прямой проход, функция потерь, "
            "цепное правило, шаг обучения"
        ),
    },
    "table.understood": {
        "en": "✅ <b>Table understood</b>: {rows}, {inputs} → {targets}.",
        "ru": "✅ <b>Таблица принята</b>: {rows}, {inputs} → {targets}.",
    },
    "table.inputs": {
        "en": "Inputs: {names}",
        "ru": "Входы: {names}",
    },
    "table.targets": {
        "en": "Target: {names}",
        "ru": "Цель: {names}",
    },
    "table.task": {
        "en": "Task: {task}",
        "ru": "Задача: {task}",
    },
    "table.task.regression": {
        "en": "regression (predict a number)",
        "ru": "регрессия (предсказать число)",
    },
    "table.task.binary": {
        "en": "binary classification",
        "ru": "бинарная классификация",
    },
    "table.task.multiclass": {
        "en": "multi-class classification",
        "ru": "многоклассовая классификация",
    },
    "table.classes": {
        "en": "(classes: {classes})",
        "ru": "(классы: {classes})",
    },
    "table.more_rows": {
        "en": "… plus {count}",
        "ru": "… и ещё {count}",
    },
    "table.questions": {
        "en": "❓ Rows with <code>?</code> ({count}) are questions: I answer them after training.",
        "ru": "❓ Строки с <code>?</code> ({count}) — вопросы: отвечу на них после обучения.",
    },
    "table.next": {
        "en": (
            "Next: /train to train the network, /settings to change it, /explain to see the maths."
        ),
        "ru": (
            "Дальше: /train — обучить сеть, /settings — настроить, /explain — посмотреть "
            "математику."
        ),
    },
    "table.ask": {
        "en": (
            "Send the table as the next message: one example per line, the target in the last "
            "column (or after <code>|</code>), <code>?</code> for questions. For "
            "example:\n"
            "<pre>weight height | female\n"
            "-2 -1 | 1\n"
            "25 6 | 0\n"
            "17 4 | 0\n"
            "-15 -6 | "
            "1\n"
            "-7 -3 | ?</pre>\nA CSV file works too. Or take a ready one: /examples"
        ),
        "ru": (
            "Пришлите таблицу следующим сообщением: один пример в строке, цель — в последнем "
            "столбце (или после <code>|</code>), <code>?</code> — вопрос. Например:\n"
            "<pre>вес "
            "рост | женщина\n"
            "-2 -1 | 1\n"
            "25 6 | 0\n"
            "17 4 | 0\n"
            "-15 -6 | 1\n"
            "-7 -3 | ?</pre>\nПодойдёт "
            "и CSV-файл. Или возьмите готовую: /examples"
        ),
    },
    "table.hint": {
        "en": (
            "I read tables of numbers, commands and photos of digits. Send a table like <code>0 "
            "0 → 0</code> on each line, try /examples, or see /help."
        ),
        "ru": (
            "Я понимаю таблицы чисел, команды и фото цифр. Пришлите таблицу — в каждой строке "
            "что-то вроде <code>0 0 → 0</code>, попробуйте /examples или загляните в /help."
        ),
    },
    "table.replaced_model": {
        "en": "The previous trained network was for another table, so I set it aside.",
        "ru": "Прежняя обученная сеть была для другой таблицы, поэтому я её убрал.",
    },
    "table.file.too_big": {
        "en": "This file is too big: {size} KB. I accept tables up to {limit} KB.",
        "ru": "Файл слишком большой: {size} КБ. Я принимаю таблицы до {limit} КБ.",
    },
    "table.file.unknown": {
        "en": (
            "I can't use this file. Send a table as CSV, TSV or TXT, or a photo of a "
            "handwritten digit."
        ),
        "ru": (
            "Этот файл мне не подходит. Пришлите таблицу в CSV, TSV или TXT или фото рукописной "
            "цифры."
        ),
    },
    "table.file.unreadable": {
        "en": "I couldn't read this file as text. Save it as CSV (UTF-8) and send it again.",
        "ru": (
            "Не получилось прочитать файл как текст. Сохраните его как CSV (UTF-8) и пришлите "
            "снова."
        ),
    },
    "table.file.download_failed": {
        "en": "I couldn't download the file from Telegram. Please try again.",
        "ru": "Не удалось скачать файл из Telegram. Попробуйте ещё раз.",
    },
    "table.where.cell": {
        "en": "Line {line}, column {column}:",
        "ru": "Строка {line}, столбец {column}:",
    },
    "table.where.line": {
        "en": "Line {line}:",
        "ru": "Строка {line}:",
    },
    "table.error.example": {
        "en": (
            "A table looks like this (spaces, tabs, commas or semicolons between values; the "
            "target last or after <code>|</code>):\n"
            "<pre>x1 x2 | y\n"
            "0 0 | 0\n"
            "0 1 | 1\n"
            "1 0 | "
            "1\n"
            "1 1 | ?</pre>"
        ),
        "ru": (
            "Таблица выглядит так (между значениями пробелы, табуляция, запятые или точки с "
            "запятой; цель — последней или после <code>|</code>):\n"
            "<pre>x1 x2 | y\n"
            "0 0 | 0\n"
            "0 1 "
            "| 1\n"
            "1 0 | 1\n"
            "1 1 | ?</pre>"
        ),
    },
    "table.error.empty": {
        "en": "❌ The table is empty. Put one example per line.",
        "ru": "❌ Таблица пустая. Напишите по одному примеру в строке.",
    },
    "table.error.too_many_rows": {
        "en": "❌ Too many rows: {count}. The limit is {limit} rows; send a smaller table.",
        "ru": "❌ Слишком много строк: {count}. Предел — {limit}; пришлите таблицу поменьше.",
    },
    "table.error.too_many_cols": {
        "en": "❌ Too many columns: {count}. The limit is {limit} columns.",
        "ru": "❌ Слишком много столбцов: {count}. Предел — {limit}.",
    },
    "table.error.too_few_rows": {
        "en": (
            "❌ I need at least 2 rows with a known target to learn from (found {count}). Add "
            "more examples; rows with <code>?</code> don't count."
        ),
        "ru": (
            "❌ Для обучения нужно хотя бы 2 строки с известной целью (нашёл {count}). Добавьте "
            "примеров; строки с <code>?</code> не считаются."
        ),
    },
    "table.error.one_column": {
        "en": (
            "❌ I see only one column. A table needs inputs and a target, e.g. <code>0 1 "
            "1</code>. Separate the values with spaces, tabs, commas or semicolons."
        ),
        "ru": (
            "❌ Вижу только один столбец. Нужны входы и цель, например <code>0 1 1</code>. "
            "Разделяйте значения пробелами, табуляцией, запятыми или точками с запятой."
        ),
    },
    "table.error.ragged": {
        "en": (
            "❌ this row has {got} values, the others have {expected}. Make every row the same "
            "length; for a question row put <code>?</code> as the target."
        ),
        "ru": (
            "❌ в этой строке значений {got}, а в остальных {expected}. Сделайте строки "
            "одинаковой длины; в строке-вопросе поставьте <code>?</code> вместо цели."
        ),
    },
    "table.error.header_count": {
        "en": (
            "❌ the header has {names} names but the rows have {values} values. Give one name "
            "per column (no spaces inside a name, or separate with commas)."
        ),
        "ru": (
            "❌ названий в заголовке — {names}, а значений в строках — {values}. Дайте одно "
            "название на столбец (без пробелов внутри или через запятую)."
        ),
    },
    "table.error.two_markers": {
        "en": (
            "❌ the target marker (<code>|</code> or <code>-&gt;</code>) appears twice. Use it "
            "once per row."
        ),
        "ru": (
            "❌ знак цели (<code>|</code> или <code>-&gt;</code>) встречается дважды. Нужен один "
            "на строку."
        ),
    },
    "table.error.marker_mismatch": {
        "en": (
            "❌ this row has {got_values} after the marker, earlier rows have {expected}. Put "
            "the marker in the same place in every row."
        ),
        "ru": (
            "❌ в этой строке после знака цели {got_values}, а в прежних строках {expected}. "
            "Ставьте знак на одно и то же место."
        ),
    },
    "table.error.no_inputs": {
        "en": (
            "❌ there are no inputs before the target. Put the input values first: <code>1 0 | "
            "1</code>."
        ),
        "ru": "❌ перед целью нет входов. Сначала входные значения: <code>1 0 | 1</code>.",
    },
    "table.error.no_targets": {
        "en": (
            "❌ nothing after the target marker. Write the target (or <code>?</code>) after it: "
            "<code>1 0 | 1</code>."
        ),
        "ru": (
            "❌ после знака цели ничего нет. Напишите цель (или <code>?</code>): <code>1 0 | "
            "1</code>."
        ),
    },
    "table.error.empty_cell": {
        "en": "❌ this cell is empty. Fill it in or remove the extra separator.",
        "ru": "❌ ячейка пустая. Заполните её или уберите лишний разделитель.",
    },
    "table.error.not_a_number": {
        "en": (
            "❌ «{cell}» is not a number. Write numbers like <code>3</code>, <code>-0.5</code> "
            "or <code>1,5</code>."
        ),
        "ru": (
            "❌ «{cell}» — не число. Пишите числа так: <code>3</code>, <code>-0.5</code> или "
            "<code>1,5</code>."
        ),
    },
    "table.error.text_input": {
        "en": (
            "❌ «{cell}» is text, but inputs must be numbers. Replace it with a number (e.g. 0/1 "
            "for no/yes). Only the first column (names) and the targets may be text."
        ),
        "ru": (
            "❌ «{cell}» — текст, а входы должны быть числами. Замените его числом (например, "
            "0/1 для нет/да). Текстом могут быть только первый столбец (имена) и цели."
        ),
    },
    "table.error.not_finite": {
        "en": "❌ «{cell}» is not a usable number (NaN or infinity). Put a real value there.",
        "ru": (
            "❌ «{cell}» — неподходящее число (NaN или бесконечность). Впишите настоящее значение."
        ),
    },
    "table.error.too_big": {
        "en": (
            "❌ «{cell}» is too large: values must be between −{limit} and {limit}. Rescale the "
            "column."
        ),
        "ru": (
            "❌ «{cell}» слишком велико: значения должны быть от −{limit} до {limit}. Измените "
            "масштаб столбца."
        ),
    },
    "table.error.question_in_inputs": {
        "en": (
            "❌ <code>?</code> can only stand in the target. Inputs of a question must be known "
            "numbers."
        ),
        "ru": (
            "❌ <code>?</code> может стоять только на месте цели. Входы вопроса должны быть "
            "числами."
        ),
    },
    "table.error.partial_question": {
        "en": (
            "❌ only some targets are <code>?</code>. In a question row all targets are "
            "<code>?</code>."
        ),
        "ru": (
            "❌ <code>?</code> стоит не во всех целях. В строке-вопросе все цели — <code>?</code>."
        ),
    },
    "table.error.mixed_target": {
        "en": (
            "❌ «{cell}»: this target column mixes numbers and text. Use only numbers, or only "
            "names of classes (like cat/dog)."
        ),
        "ru": (
            "❌ «{cell}»: в столбце цели смешаны числа и текст. Пишите только числа или только "
            "названия классов (например, кот/пёс)."
        ),
    },
    "table.error.text_multi_target": {
        "en": "❌ text classes are allowed in one target column only. Keep a single class column.",
        "ru": (
            "❌ текстовые классы допустимы только в одном столбце цели. Оставьте один такой "
            "столбец."
        ),
    },
    "table.error.one_class": {
        "en": "❌ every row has the same class «{label}». Add examples of another class.",
        "ru": (
            "❌ во всех строках один и тот же класс «{label}». Добавьте примеры хотя бы ещё "
            "одного класса."
        ),
    },
    "table.error.too_many_classes": {
        "en": (
            "❌ {count} different classes; the limit is {limit}. Is the target a number? Then "
            "use digits only."
        ),
        "ru": (
            "❌ классов {count}, а предел — {limit}. Может, цель — число? Тогда пишите только "
            "цифры."
        ),
    },
    "table.error.predict_count": {
        "en": (
            "❌ {got_values}, but the network takes {expected_inputs}. Each row needs "
            "{expected_values}, e.g. <code>/predict {example}</code>; separate rows with "
            "<code>;</code>."
        ),
        "ru": (
            "❌ {got_values}, а у сети {expected_inputs}. В каждой строке нужно "
            "{expected_values}, например <code>/predict {example}</code>; строки "
            "разделяйте <code>;</code>."
        ),
    },
    "table.error.predict_empty": {
        "en": (
            "❌ Give the {expected_input_values} to predict for, e.g. <code>/predict "
            "{example}</code>."
        ),
        "ru": (
            "❌ Укажите {expected_input_values} для предсказания, например <code>/predict "
            "{example}</code>."
        ),
    },
    "table.examples": {
        "en": "📚 <b>Ready tables</b> — one tap each. The table replaces your current one.",
        "ru": "📚 <b>Готовые таблицы</b> — по одному нажатию. Таблица заменит вашу текущую.",
    },
    "table.example.gone": {
        "en": "This button is out of date. Send /examples again.",
        "ru": "Эта кнопка устарела. Отправьте /examples ещё раз.",
    },
    "table.example.neuron.title": {
        "en": "🧠 One neuron",
        "ru": "🧠 Один нейрон",
    },
    "table.example.neuron.about": {
        "en": (
            "<b>The classic single neuron.</b> The answer is simply the first input; the neuron "
            "has to discover that from four examples. Then it is asked about 1 0 0, a row it "
            "has never seen."
        ),
        "ru": (
            "<b>Классический один нейрон.</b> Ответ — просто первый вход; нейрон должен сам "
            "понять это по четырём примерам. Потом его спросят про 1 0 0 — строку, которой он "
            "не видел."
        ),
    },
    "table.example.neuron.next": {
        "en": (
            "Settings as in the article: no hidden layer and no bias, sigmoid, MSE, gradient "
            "descent with η = 2, 10 000 epochs on the whole table, from the article's random "
            "start (np.random.seed(1)). Press /train — the answer for 1 0 0 should come out as "
            "the article's 0.99993704."
        ),
        "ru": (
            "Настройки как в статье: без скрытого слоя и без смещения, сигмоида, MSE, "
            "градиентный спуск с η = 2, 10 000 эпох по всей таблице, от случайного старта "
            "статьи (<code>np.random.seed(1)</code>). Нажмите /train — ответ для 1 0 0 должен "
            "выйти, как в статье, 0.99993704."
        ),
    },
    "table.example.gender.title": {
        "en": "⚖️ Weight, height → gender",
        "ru": "⚖️ Вес, рост → пол",
    },
    "table.example.gender.about": {
        "en": (
            "<b>Weight and height → female (1) or male (0)</b>, the article's four people. "
            "Weights are pounds minus 135, heights inches minus 66. Emily and Frank are the "
            "questions."
        ),
        "ru": (
            "<b>Вес и рост → женщина (1) или мужчина (0)</b>, четыре человека из статьи. Вес — "
            "фунты минус 135, рост — дюймы минус 66. Эмили и Фрэнк — вопросы."
        ),
    },
    "table.example.gender.next": {
        "en": (
            "Settings as in the article: 2 hidden neurons, sigmoid, MSE, gradient descent "
            "η = 0.1, 1000 epochs, one row at a time. Try /explain now — it works the "
            "article's step from all weights 1 (ŷ = 0.524, ∂L/∂w₁ = 0.0214) — then /train, "
            "which starts, like the article's code, from random weights."
        ),
        "ru": (
            "Настройки как в статье: 2 скрытых нейрона, сигмоида, MSE, градиентный спуск "
            "η = 0.1, 1000 эпох, по одной строке. Попробуйте /explain — там шаг из статьи от "
            "весов, равных 1 (ŷ = 0.524, ∂L/∂w₁ = 0.0214), — потом /train: обучение, как код "
            "статьи, начнётся со случайных весов."
        ),
    },
    "table.example.xor.title": {
        "en": "⊕ XOR",
        "ru": "⊕ XOR",
    },
    "table.example.xor.about": {
        "en": (
            "<b>XOR</b>: 1 when exactly one input is 1. No single straight line separates the "
            "answers, so one neuron cannot learn it — a hidden layer can."
        ),
        "ru": (
            "<b>XOR</b>: 1, когда ровно один вход равен 1. Ответы не разделить одной прямой, "
            "поэтому один нейрон этого не выучит — а скрытый слой сможет."
        ),
    },
    "table.example.xor.next": {
        "en": (
            "Settings: 4 hidden tanh neurons. /train, then /boundary to see the curved border. "
            "Curious? <code>/settings hidden=none</code>, /train again and /explain: one neuron "
            "gets 75% at best."
        ),
        "ru": (
            "Настройки: 4 скрытых нейрона, функция активации — гиперболический тангенс. "
            "/train, затем /boundary — увидите изогнутую границу. Интересно? "
            "<code>/settings hidden=none</code>, снова /train и /explain: один нейрон даёт "
            "максимум 75%."
        ),
    },
    "table.example.and.title": {
        "en": "∧ AND",
        "ru": "∧ И (AND)",
    },
    "table.example.and.about": {
        "en": (
            "<b>AND</b>: 1 only when both inputs are 1. One straight line separates the "
            "answers, so a single neuron is enough."
        ),
        "ru": (
            "<b>И (AND)</b>: 1, только когда оба входа равны 1. Ответы разделяет одна прямая, "
            "поэтому хватит одного нейрона."
        ),
    },
    "table.example.and.next": {
        "en": (
            "Settings: a single sigmoid neuron. /train, then /explain to see its weights at work."
        ),
        "ru": (
            "Настройки: один нейрон с сигмоидой. /train, затем /explain — посмотрите, как "
            "работают его веса."
        ),
    },
    "table.example.or.title": {
        "en": "∨ OR",
        "ru": "∨ ИЛИ (OR)",
    },
    "table.example.or.about": {
        "en": "<b>OR</b>: 1 when at least one input is 1. Like AND, one neuron can learn it.",
        "ru": (
            "<b>ИЛИ (OR)</b>: 1, когда хотя бы один вход равен 1. Как и И, его выучит один нейрон."
        ),
    },
    "table.example.or.next": {
        "en": "Settings: a single sigmoid neuron. /train, then /predict 0 1.",
        "ru": "Настройки: один нейрон с сигмоидой. /train, затем /predict 0 1.",
    },
    "table.example.colours.title": {
        "en": "🎨 Three colours",
        "ru": "🎨 Три цвета",
    },
    "table.example.colours.about": {
        "en": (
            "<b>Three classes</b>: points on a plane coloured red, green or blue. The network "
            "gives a probability for each colour (softmax)."
        ),
        "ru": (
            "<b>Три класса</b>: точки на плоскости красного, зелёного или синего цвета. Сеть "
            "даёт вероятность каждого цвета (софтмакс)."
        ),
    },
    "table.example.colours.next": {
        "en": "Settings: 8 hidden neurons. /train, then /boundary to see the three regions.",
        "ru": "Настройки: 8 скрытых нейронов. /train, затем /boundary — увидите три области.",
    },
    "table.example.digits7.title": {
        "en": "🔢 Seven segments → digit",
        "ru": "🔢 Семь сегментов → цифра",
    },
    "table.example.digits7.about": {
        "en": (
            "<b>A seven-segment display</b>: which of the segments a–g are lit (a top, b top "
            "right, c bottom right, d bottom, e bottom left, f top left, g middle) → the digit. "
            "Ten classes; the question is a broken 8."
        ),
        "ru": (
            "<b>Семисегментный индикатор</b>: какие сегменты a–g горят (a верх, b справа "
            "вверху, c справа внизу, d низ, e слева внизу, f слева вверху, g середина) → цифра. "
            "Десять классов; вопрос — «сломанная» восьмёрка."
        ),
    },
    "table.example.digits7.next": {
        "en": "Settings: 12 hidden neurons, 1500 epochs. /train, then /predict 1 1 1 0 0 0 0.",
        "ru": "Настройки: 12 скрытых нейронов, 1500 эпох. /train, затем /predict 1 1 1 0 0 0 0.",
    },
    "table.predict.title": {
        "en": "🔮 <b>The network answers</b>:",
        "ru": "🔮 <b>Ответы сети</b>:",
    },
    "table.predict.confidence": {
        "en": "(confidence {percent})",
        "ru": "(уверенность {percent})",
    },
    "table.predict.no_table": {
        "en": "There is no table yet. Send one (/table) or pick one in /examples, then /train.",
        "ru": "Таблицы пока нет. Пришлите её (/table) или выберите в /examples, потом /train.",
    },
    "table.predict.not_trained": {
        "en": "The network isn't trained on this table yet. Send /train first, then /predict.",
        "ru": "Сеть ещё не обучена на этой таблице. Сначала /train, потом /predict.",
    },
    "table.predict.too_many": {
        "en": "That's a lot of rows: I answer up to {limit} at once.",
        "ru": "Слишком много строк: за раз я отвечаю не больше чем на {limit}.",
    },
}
