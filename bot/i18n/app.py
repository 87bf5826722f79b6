"""Messages of the common handlers: help, language, reset, access, limits, restarts, stats."""

MESSAGES = {
    # --- command menu (set_my_commands) and /help -----------------------------------------
    "cmd.start": {
        "en": "What this bot does and how to begin",
        "ru": "Что умеет бот и с чего начать",
    },
    "cmd.help": {
        "en": "All commands with examples",
        "ru": "Все команды с примерами",
    },
    "cmd.lang": {
        "en": "Switch language: English / Russian",
        "ru": "Сменить язык: русский / английский",
    },
    "cmd.reset": {
        "en": "Forget the table, settings and network",
        "ru": "Забыть таблицу, настройки и сеть",
    },
    "cmd.stats": {
        "en": "Bot statistics (administrators only)",
        "ru": "Статистика бота (только для администраторов)",
    },
    "app.description": {
        "en": (
            "I teach neural networks by building them from scratch, in plain NumPy. Send me a "
            "table of numbers: I train a network on it while you watch the loss fall, then it "
            "answers your questions and explains every step with real numbers — the forward "
            "pass, the loss, the chain rule, the update. I also read handwritten digits from "
            "photos. Works in English and Russian. Press Start!"
        ),
        "ru": (
            "Я учу нейросетям, собирая их с нуля на чистом NumPy. Пришлите таблицу с числами: "
            "я обучу на ней сеть, а вы посмотрите, как падает ошибка (функция потерь). Потом "
            "сеть ответит на ваши вопросы и объяснит каждый шаг на настоящих числах — прямой "
            "проход, ошибку, цепное правило, шаг обучения. А ещё я читаю рукописные цифры по "
            "фото. "
            "Нажмите «Запустить»!"
        ),
    },
    "app.short_description": {
        "en": "Neural networks from scratch: train one on your table and see every step.",
        "ru": "Нейросети с нуля: обучите сеть на своей таблице и увидьте каждый шаг.",
    },
    "app.start.greeting": {
        "en": "Hi, {name}! 👋",
        "ru": "Привет, {name}! 👋",
    },
    "app.help.intro": {
        "en": (
            "I teach neural networks by building them from scratch, in plain NumPy, right here "
            "in the chat. Give me a table of numbers and I will train a network on it while you "
            "watch the loss fall. Then the network answers your questions and <b>explains every "
            "step with real numbers</b>: the forward pass, the loss, the chain rule, the update."
        ),
        "ru": (
            "Я учу нейросетям, собирая их с нуля на чистом NumPy прямо здесь, в чате. Пришлите "
            "таблицу с числами — я обучу на ней сеть, а вы посмотрите, как падает ошибка "
            "(функция потерь). Потом сеть ответит на ваши вопросы и <b>объяснит каждый шаг "
            "на настоящих числах</b>: прямой проход, ошибку, цепное правило, шаг обучения."
        ),
    },
    "app.help.quickstart": {
        "en": (
            "<b>Quick start</b>\n"
            "1. Send /examples and tap a table — or send your own (or a CSV file): one example "
            "per line, the last column is the answer.\n"
            "2. Send /train and watch the progress bar.\n"
            "3. Ask the network: /predict with new inputs, /explain to see how it thinks."
        ),
        "ru": (
            "<b>Быстрый старт</b>\n"
            "1. Отправьте /examples и выберите таблицу — или пришлите свою (или CSV-файл): "
            "один пример в строке, последний столбец — ответ.\n"
            "2. Отправьте /train и следите за полосой прогресса.\n"
            "3. Спросите сеть: /predict с новыми входами, /explain — как она рассуждает."
        ),
    },
    "app.help.commands": {
        "en": "<b>Commands</b>",
        "ru": "<b>Команды</b>",
    },
    "app.help.photo": {
        "en": (
            "📷 Send a photo of a handwritten digit or number and I will read it, "
            "and show what the network saw."
        ),
        "ru": (
            "📷 Пришлите фото рукописной цифры или числа — я его прочитаю и покажу, "
            "что увидела сеть."
        ),
    },
    "app.help.footer": {
        "en": "Your data stays on this bot's server and is used only to answer you.",
        "ru": "Ваши данные хранятся только на сервере этого бота и нужны лишь для ответов вам.",
    },
    "app.example.table": {
        "en": "<i>e.g.</i> <code>/table</code>, then rows like <code>0 1 → 1</code>",
        "ru": "<i>например,</i> <code>/table</code>, затем строки вида <code>0 1 → 1</code>",
    },
    "app.example.explain": {
        "en": (
            "<i>e.g.</i> <code>/explain 2</code> — the second row of your table; "
            "<code>/explain Emily</code> — a row by its name, questions too; "
            "<code>/explain -7 -3</code> — new inputs (the forward pass), "
            "<code>/explain -7 -3 = 1</code> — with the right answer (the backward pass too)"
        ),
        "ru": (
            "<i>например,</i> <code>/explain 2</code> — вторая строка вашей таблицы; "
            "<code>/explain Эмили</code> — строка по имени, и вопросы тоже; "
            "<code>/explain -7 -3</code> — новые входы (прямой проход), "
            "<code>/explain -7 -3 = 1</code> — с правильным ответом (и обратный проход)"
        ),
    },
    "app.example.lang": {
        "en": "<i>e.g.</i> <code>/lang ru</code>",
        "ru": "<i>например,</i> <code>/lang en</code>",
    },
    "app.unknown_command": {
        "en": "I don't know the command /{command}. /help lists everything I can do.",
        "ru": "Я не знаю команды /{command}. /help покажет всё, что я умею.",
    },
    # --- /lang ----------------------------------------------------------------------------
    "app.lang.choose": {
        "en": "Choose the language / Выберите язык:",
        "ru": "Выберите язык / Choose the language:",
    },
    "app.lang.set": {
        "en": "Done: I will speak English. /help",
        "ru": "Готово: теперь я говорю по-русски. /help",
    },
    # --- /reset ---------------------------------------------------------------------------
    "app.reset.confirm": {
        "en": (
            "Forget everything this chat saved?\n"
            "• the table, its settings and the trained network;\n"
            "• your place in /lesson and your own table the lesson set aside;\n"
            "• the /quiz score;\n"
            "• the lab's settings, its networks and the digits you collected or corrected;\n"
            "• the photos kept for the buttons under my answers;\n"
            "• your /share links: they will stop working.\n"
            "Only the language stays. A running training will be stopped. "
            "This cannot be undone."
        ),
        "ru": (
            "Забыть всё, что сохранено в этом чате?\n"
            "• таблицу, её настройки и обученную сеть;\n"
            "• место в /lesson и вашу таблицу, отложенную уроком;\n"
            "• счёт /quiz;\n"
            "• настройки лаборатории, её сети и собранные или исправленные цифры;\n"
            "• фотографии, сохранённые для кнопок под моими ответами;\n"
            "• ваши ссылки /share: они перестанут работать.\n"
            "Останется только язык. Идущее обучение будет остановлено. "
            "Отменить это нельзя."
        ),
    },
    "app.reset.yes": {
        "en": "Yes, forget everything",
        "ru": "Да, забыть всё",
    },
    "app.reset.no": {
        "en": "No, keep it",
        "ru": "Нет, оставить",
    },
    "app.reset.done": {
        "en": "Done — a clean slate. Send a table or /examples to start again.",
        "ru": "Готово — всё с чистого листа. Пришлите таблицу или /examples, чтобы начать заново.",
    },
    "app.reset.done_cancelled": {
        "en": (
            "Done — the training was stopped and everything forgotten. "
            "Send a table or /examples to start again."
        ),
        "ru": (
            "Готово — обучение остановлено, всё забыто. "
            "Пришлите таблицу или /examples, чтобы начать заново."
        ),
    },
    "app.reset.expired": {
        "en": (
            "This confirmation is too old, so nothing was deleted. "
            "Send /reset again if you mean it."
        ),
        "ru": (
            "Это подтверждение устарело, поэтому ничего не удалено. "
            "Отправьте /reset ещё раз, если нужно."
        ),
    },
    "app.reset.kept": {
        "en": "Nothing was deleted.",
        "ru": "Ничего не удалено.",
    },
    # --- access and limits ----------------------------------------------------------------
    "app.not_allowed": {
        "en": (
            "Sorry, this bot is private: its owner has opened it to a list of people only. "
            "If you know the owner, send them your Telegram id: <code>{user_id}</code>."
        ),
        "ru": (
            "Извините, это закрытый бот: владелец открыл его только для списка людей. "
            "Если вы знаете владельца, отправьте ему свой номер в Telegram: <code>{user_id}</code>."
        ),
    },
    "app.rate_limited": {
        "en": (
            "Whoa, that's a lot of messages! I handle up to {limit} a minute per chat. "
            "Please wait about {seconds} s — I'll skip what arrives until then."
        ),
        "ru": (
            "Ого, как много сообщений! Я обрабатываю не больше {limit} в минуту на чат. "
            "Подождите около {seconds} с — до тех пор новые сообщения я пропущу."
        ),
    },
    # --- restarts -------------------------------------------------------------------------
    "app.training_interrupted": {
        "en": (
            "⚠️ I was restarted while your training was running, so it did not finish. "
            "Your table and settings are safe — send /train to start it again."
        ),
        "ru": (
            "⚠️ Меня перезапустили во время вашего обучения, и оно не завершилось. "
            "Таблица и настройки целы — отправьте /train, чтобы начать заново."
        ),
    },
    "app.training_stopped_shutdown": {
        "en": (
            "⏹ I'm restarting for maintenance, so I stopped your training. "
            "Your table and settings are safe — send /train again in a minute."
        ),
        "ru": (
            "⏹ Я перезапускаюсь на обслуживание, поэтому остановил ваше обучение. "
            "Таблица и настройки целы — отправьте /train ещё раз через минуту."
        ),
    },
    "app.training_kept": {
        "en": "What the network learned so far is saved: /predict and /explain use it.",
        "ru": "То, чему сеть успела научиться, сохранено: /predict и /explain работают с ней.",
    },
    # --- /stats ---------------------------------------------------------------------------
    "app.stats.refused": {
        "en": "Sorry, /stats is only for the bot's administrators.",
        "ru": "Извините, /stats доступна только администраторам бота.",
    },
    "app.stats": {
        "en": (
            "<b>nnbot statistics</b>\n"
            "Chats: {chats}\n"
            "Trainings now: {running} running (workers: {workers}), {queued} waiting "
            "(queue: {queue_size})\n"
            "Trainings since start: {completed} finished, {failed} failed\n"
            "Uptime: {uptime}\n"
            "Memory: bot {memory} MB (peak {peak} MB), training workers {workers_memory} MB"
        ),
        "ru": (
            "<b>Статистика nnbot</b>\n"
            "Чатов: {chats}\n"
            "Обучения сейчас: идут — {running} (процессов: {workers}), ждут — {queued} "
            "(очередь: {queue_size})\n"
            "Обучения с запуска: завершены — {completed}, с ошибкой — {failed}\n"
            "Работает: {uptime}\n"
            "Память: бот {memory} МБ (пик {peak} МБ), процессы обучения {workers_memory} МБ"
        ),
    },
}
