"""Messages of overfitting, classification quality and the diagnosis after a training:
the overfit example, patience / l2 / dropout, /confusion, the symptoms and their fix buttons."""

MESSAGES = {
    # --- the overfit example ----
    "table.example.noisy.title": {
        "en": "📈 Few noisy rows → overfitting",
        "ru": "📈 Мало строк с шумом → переобучение",
    },
    "table.example.noisy.about": {
        "en": (
            "<b>Overfitting on purpose</b>: y = 1 when x1 + x2 > 0, but four of the 24 labels "
            "are flipped (noise). The network is far too big for 24 rows (two hidden layers of "
            "32), and a third of the rows are held out for validation: the network never learns "
            "from them, they show how it does on new data."
        ),
        "ru": (
            "<b>Переобучение нарочно</b>: y = 1, когда x1 + x2 > 0, но у четырёх из 24 строк "
            "ответ перевёрнут (шум). Сеть для 24 строк слишком большая (два скрытых слоя по "
            "32 нейрона), а треть строк отложена для проверки (валидации): на них сеть не "
            "учится, они показывают, как она справится с новыми данными."
        ),
    },
    "table.example.noisy.next": {
        "en": (
            "/train, and watch the two curves of /plot: the training loss falls to almost 0 "
            "while the validation loss turns up. The bot then offers fixes; try each and compare."
        ),
        "ru": (
            "/train — и смотрите на две кривые /plot: функция потерь на обучении падает почти "
            "до 0, а на проверке начинает расти. Бот предложит, как это исправить; попробуйте "
            "каждое и сравните."
        ),
    },
    # --- settings ----
    "settings.overfitting_line": {
        "en": (
            "• against overfitting: early stopping <code>patience={patience}</code>, weight "
            "decay <code>l2={l2}</code>, <code>dropout={dropout}</code>"
        ),
        "ru": (
            "• против переобучения: ранняя остановка <code>patience={patience}</code>, штраф "
            "за большие веса <code>l2={l2}</code>, <code>dropout={dropout}</code>"
        ),
    },
    "settings.help_overfitting": {
        "en": (
            "<code>patience=50</code> — stop when the validation loss has not improved for 50 "
            "epochs and keep the best network (needs <code>validation=0.2</code> or so); "
            "<code>l2=0.01</code> — pull the weights towards 0; <code>dropout=0.2</code> — "
            "switch off a random fifth of the hidden neurons in every training step."
        ),
        "ru": (
            "<code>patience=50</code> — остановиться, если функция потерь на проверке 50 эпох "
            "не улучшалась, и оставить лучшую сеть (нужно <code>validation=0.2</code> или "
            "около того); <code>l2=0.01</code> — тянуть веса к 0; <code>dropout=0.2</code> — "
            "на каждом шаге обучения выключать случайную пятую часть скрытых нейронов."
        ),
    },
    "settings.patience_needs_validation": {
        "en": (
            "⚠️ <code>patience</code> works only with validation rows to watch: set "
            "<code>validation=0.2</code> too, or early stopping stays off."
        ),
        "ru": (
            "⚠️ <code>patience</code> работает, только если есть проверочные строки: задайте "
            "ещё <code>validation=0.2</code>, иначе ранней остановки не будет."
        ),
    },
    "settings.value.off": {"en": "off", "ru": "выкл"},
    "settings.name.patience": {"en": "patience", "ru": "терпение"},
    "settings.name.l2": {"en": "l2", "ru": "l2"},
    "settings.name.dropout": {"en": "dropout", "ru": "дропаут"},
    # --- the summary ----
    "quality.val_accuracy": {
        "en": "Correct answers on the validation rows: <b>{percent}%</b>",
        "ru": "Верных ответов на проверочных строках: <b>{percent}%</b>",
    },
    "quality.best_epoch": {
        "en": "The validation loss was lowest after epoch {epoch}: <b>{loss}</b>.",
        "ru": "Меньше всего функция потерь на проверке была после эпохи {epoch}: <b>{loss}</b>.",
    },
    "quality.early_stopped": {
        "en": (
            "⏹ Early stopping: no better validation loss for {patience} after epoch {best}, so "
            "training stopped at epoch {stopped} and kept the network of epoch {best}. The "
            "figures above are that network's."
        ),
        "ru": (
            "⏹ Ранняя остановка: {patience} после эпохи {best} функция потерь на проверке не "
            "улучшалась, поэтому обучение остановилось на эпохе {stopped}, а сохранена сеть "
            "эпохи {best}. Цифры выше — её."
        ),
    },
    "quality.kept_best": {
        "en": "Early stopping kept the network of epoch {best}, the best on validation.",
        "ru": "Ранняя остановка сохранила сеть эпохи {best} — лучшую на проверке.",
    },
    "quality.patience_unused": {
        "en": (
            "Early stopping (<code>patience</code>) was off: there were no validation rows to "
            "watch. Set <code>/settings validation=0.2</code> to hold some out."
        ),
        "ru": (
            "Ранняя остановка (<code>patience</code>) не работала: не было проверочных строк. "
            "Отложите часть строк: <code>/settings validation=0.2</code>."
        ),
    },
    "quality.dropout_note": {
        "en": (
            "Dropout switched hidden neurons off only while training; the network answers (and "
            "/explain shows it) with every neuron on."
        ),
        "ru": (
            "Дропаут выключал скрытые нейроны только во время обучения; сеть отвечает (и "
            "/explain её показывает) со всеми нейронами."
        ),
    },
    "quality.explain_dropout": {
        "en": (
            "ℹ️ This network was trained with dropout; here it is without dropout, every "
            "neuron on, exactly as it answers /predict."
        ),
        "ru": (
            "ℹ️ Эта сеть обучалась с дропаутом; здесь она показана без него, со всеми "
            "нейронами — так же, как отвечает на /predict."
        ),
    },
    "quality.explain_l2": {
        "en": (
            "With weight decay <code>l2={l2}</code> every real step also takes η·{l2}·w off "
            "each weight w (η is the learning rate; the biases are left alone): the steps above "
            "leave that part out."
        ),
        "ru": (
            "Со штрафом за веса <code>l2={l2}</code> каждый настоящий шаг ещё вычитает "
            "η·{l2}·w из каждого веса w (η — скорость обучения; смещения не трогает): в шагах "
            "выше этой части нет."
        ),
    },
    # --- the loss picture ----
    "quality.plot.best": {
        "en": "best validation: epoch {epoch}",
        "ru": "лучшая проверка: эпоха {epoch}",
    },
    "quality.plot.accuracy": {"en": "correct answers, %", "ru": "верных ответов, %"},
    "quality.plot.train_accuracy": {"en": "training rows", "ru": "обучающие строки"},
    "quality.plot.val_accuracy": {"en": "validation rows", "ru": "проверочные строки"},
    # --- the diagnosis ----
    "diagnosis.title": {"en": "🩺 <b>Diagnosis</b>", "ru": "🩺 <b>Диагноз</b>"},
    "diagnosis.diverged": {
        "en": (
            "<b>Divergence</b>: with lr={lr} every step overshot, the weights grew without "
            "bound and the loss stopped being a number."
        ),
        "ru": (
            "<b>Расходимость</b>: при lr={lr} каждый шаг перескакивал минимум, веса росли без "
            "предела, и функция потерь перестала быть числом."
        ),
    },
    "diagnosis.plateau": {
        "en": (
            "<b>Learned nothing</b>: the loss {loss} is at the “know-nothing” level ({floor}) "
            "— what a network gets by giving every row the same answer (the share of each "
            "class)."
        ),
        "ru": (
            "<b>Сеть ничему не научилась</b>: функция потерь {loss} — на уровне сети, которая "
            "ничего не знает ({floor}): столько получает сеть, которая на любую строку отвечает "
            "одно и то же (долю каждого класса)."
        ),
    },
    "diagnosis.saturated": {
        "en": (
            "<b>Saturated neurons</b>: {percent}% of the hidden neurons' inputs z are beyond "
            "±{edge}, where the activation function is flat. Its slope there is almost 0, so "
            "gradient descent hardly moves their weights."
        ),
        "ru": (
            "<b>Насыщение нейронов</b>: {percent}% входов z скрытых нейронов лежат дальше "
            "±{edge}, где функция активации почти плоская. Её производная там близка к 0, и "
            "градиентный спуск почти не меняет их веса."
        ),
    },
    "diagnosis.dead_relu": {
        "en": (
            "<b>Dead ReLU neurons</b>: {dead} of {total} hidden neurons give 0 on every row. "
            "Their gradient is 0 too, so they never learn again."
        ),
        "ru": (
            "<b>Мёртвые нейроны ReLU</b>: {dead} из {total} скрытых нейронов дают 0 на каждой "
            "строке. Градиент у них тоже 0, и они больше не учатся."
        ),
    },
    "diagnosis.overfitting": {
        "en": (
            "<b>Overfitting</b>: the validation loss was lowest after epoch {epoch} ({best}) "
            "and rose to {loss}, while the training loss kept falling. The network learns the "
            "rows by heart, noise included, instead of the rule."
        ),
        "ru": (
            "<b>Переобучение</b>: функция потерь на проверке была меньше всего после эпохи "
            "{epoch} ({best}) и выросла до {loss}, а на обучении продолжала падать. Сеть "
            "заучивает строки вместе с шумом, а не правило."
        ),
    },
    "diagnosis.fix_hint": {
        "en": "A button below changes that setting; then press ▶ Train to see the difference.",
        "ru": "Кнопка ниже меняет эту настройку; потом нажмите ▶ Обучить и сравните.",
    },
    "fix.lr": {"en": "🐢 Smaller steps: lr={value}", "ru": "🐢 Шаг поменьше: lr={value}"},
    "fix.patience": {
        "en": "⏹ Early stopping: patience={value}",
        "ru": "⏹ Ранняя остановка: patience={value}",
    },
    "fix.l2": {"en": "⚖ Weight decay: l2={value}", "ru": "⚖ Штраф за веса: l2={value}"},
    "fix.hidden": {
        "en": "➖ Fewer neurons: hidden={value}",
        "ru": "➖ Меньше нейронов: hidden={value}",
    },
    "fix.layer": {
        "en": "➕ Add a hidden layer: hidden={value}",
        "ru": "➕ Добавить скрытый слой: hidden={value}",
    },
    "fix.scale": {"en": "📏 Scale the inputs", "ru": "📏 Масштабировать входы"},
    "fix.activation": {
        "en": "〰 Activation function: {value}",
        "ru": "〰 Функция активации: {value}",
    },
    "fix.applied": {
        "en": "✅ Changed: <code>{change}</code>. Press ▶ Train to train again with it.",
        "ru": "✅ Изменено: <code>{change}</code>. Нажмите ▶ Обучить, чтобы обучить заново.",
    },
    "fix.forged": {
        "en": "This button is not one I can apply. Change settings with /settings.",
        "ru": "Эту кнопку я применить не могу. Меняйте настройки через /settings.",
    },
    # --- /confusion ----
    "cmd.confusion": {
        "en": "confusion matrix: which classes the network mixes up",
        "ru": "матрица ошибок: какие классы сеть путает",
    },
    "confusion.regression": {
        "en": (
            "A confusion matrix counts right and wrong classes, and this table's answers are "
            "numbers (regression). See how far off they are with /plot and /predict."
        ),
        "ru": (
            "Матрица ошибок считает верные и неверные классы, а в этой таблице ответы — числа "
            "(регрессия). Насколько сеть ошибается, видно в /plot и /predict."
        ),
    },
    "confusion.several_targets": {
        "en": "A confusion matrix needs one answer column; this table has {count}.",
        "ru": "Для матрицы ошибок нужен один столбец ответов, а в этой таблице {count}.",
    },
    "confusion.title": {"en": "Confusion matrix", "ru": "Матрица ошибок"},
    "confusion.true": {"en": "right answer", "ru": "правильный ответ"},
    "confusion.predicted": {"en": "network's answer", "ru": "ответ сети"},
    "confusion.caption": {
        "en": "Rows: the right class; columns: the network's answer. The diagonal is right.",
        "ru": "Строки — правильный класс, столбцы — ответ сети. На диагонали — верные ответы.",
    },
    "confusion.all_right": {
        "en": "All {count} right: every answer is on the diagonal.",
        "ru": "Все {count} — верно: каждый ответ на диагонали.",
    },
    "confusion.wrong_title": {
        "en": "<b>Wrong on {count} of {total}:</b>",
        "ru": "<b>Ошибки: {count} из {total}:</b>",
    },
    "confusion.wrong_row": {
        "en": "{row} → <b>{predicted}</b> (right: {target})",
        "ru": "{row} → <b>{predicted}</b> (верно: {target})",
    },
    "confusion.row_number": {"en": "row {number}", "ru": "строка {number}"},
}
