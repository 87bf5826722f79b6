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
        "en": "Step-by-step: forward pass, loss, chain rule, update",
        "ru": "По шагам: прямой проход, ошибка, цепное правило, шаг обучения",
    },
    "table.understood": {
        "en": "✅ <b>Table understood</b>: {rows} rows, {inputs} inputs → {targets} target(s).",
        "ru": "✅ <b>Таблица принята</b>: строк — {rows}, входов — {inputs}, целей — {targets}.",
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
        "en": "… and {count} more rows",
        "ru": "… и ещё строк: {count}",
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
            "-7 -3 | ?</pre>A CSV file works too. Or take a ready one: /examples"
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
            "-7 -3 | ?</pre>Подойдёт "
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
        "ru": "❌ Слишком много строк: {count}. Предел — {limit} строк; пришлите таблицу поменьше.",
    },
    "table.error.too_many_cols": {
        "en": "❌ Too many columns: {count}. The limit is {limit} columns.",
        "ru": "❌ Слишком много столбцов: {count}. Предел — {limit} столбцов.",
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
            "❌ в заголовке {names} названий, а в строках {values} значений. Дайте одно название "
            "на столбец (без пробелов внутри или через запятую)."
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
            "❌ this row has {got} target(s) after the marker, earlier rows have {expected}. Put "
            "the marker in the same place in every row."
        ),
        "ru": (
            "❌ в этой строке после знака цели {got} значени(й), а в прежних строках {expected}. "
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
}
