"""Messages of looking inside the network: /activations, /neurons, /compare and /share."""

MESSAGES = {
    # --- command menu --------------------------------------------------------------------------
    "cmd.activations": {
        "en": "activation functions and their derivatives",
        "ru": "функции активации и их производные",
    },
    "cmd.neurons": {
        "en": "what each hidden neuron computes (2 inputs)",
        "ru": "что вычисляет каждый скрытый нейрон (2 входа)",
    },
    "cmd.compare": {
        "en": "compare trainings with different values of one setting (/compare lr=0.01,0.1,1)",
        "ru": "сравнить обучение с разными значениями одной настройки (/compare lr=0.01,0.1,1)",
    },
    "cmd.share": {
        "en": "a link that gives your table and settings to others",
        "ru": "ссылка, по которой другие получат вашу таблицу и настройки",
    },
    # --- /activations --------------------------------------------------------------------------
    "inside.act.name.sigmoid": {"en": "sigmoid", "ru": "сигмоида"},
    "inside.act.name.tanh": {"en": "tanh", "ru": "гиперболический тангенс"},
    "inside.act.name.relu": {"en": "ReLU", "ru": "ReLU"},
    "inside.act.name.leaky_relu": {"en": "leaky ReLU", "ru": "ReLU с утечкой"},
    "inside.act.title.sigmoid": {"en": "sigmoid σ(z)", "ru": "сигмоида σ(z)"},
    "inside.act.title.tanh": {"en": "tanh(z)", "ru": "гиперболический тангенс"},
    "inside.act.title.relu": {"en": "ReLU(z)", "ru": "ReLU(z)"},
    "inside.act.title.leaky_relu": {
        "en": "leaky ReLU, α = {alpha}",
        "ru": "ReLU с утечкой, α = {alpha}",
    },
    "inside.act.function": {"en": "function f(z)", "ru": "функция f(z)"},
    "inside.act.slope": {"en": "derivative f′(z)", "ru": "производная f′(z)"},
    "inside.act.sigmoid_peak": {"en": "σ′ ≤ 0.25", "ru": "σ′ ≤ 0.25"},
    "inside.act.chosen": {"en": "your choice", "ru": "ваш выбор"},
    "inside.act.caption": {
        "en": "Activation functions (solid) and their derivatives (dashed), as nncore computes "
        "them. Yours is framed in orange.",
        "ru": "Функции активации (сплошная линия) и их производные (пунктир) — так их считает "
        "nncore. Ваша — в оранжевой рамке.",
    },
    "inside.act.text": {
        "en": (
            "<b>Activation functions</b>: your network's is {chosen} "
            "(to try another: <code>/settings activation={other}</code>).\n\n"
            "• <b>Saturation.</b> The sigmoid and tanh flatten out when |z| is large: at z = 5 "
            "the sigmoid's derivative is only {sig5}, tanh's {tanh5}. Backpropagation "
            "multiplies the gradient by this derivative, so a saturated neuron hardly learns.\n"
            "• <b>Vanishing gradients.</b> σ′(z) is at most {peak}, so every sigmoid layer "
            "shrinks the gradient at least fourfold: through {layers}, to at most {shrink} of "
            "it. The first layers of a deep sigmoid network learn slowly; tanh (derivative up "
            "to 1) and ReLU do better.\n"
            "• <b>Dead ReLUs.</b> ReLU′(z) = 0 for z &lt; 0. A neuron whose z is negative for "
            "every row gets no gradient and never changes again: it is dead. Too large a "
            "learning rate often kills neurons. Leaky ReLU keeps a small slope ({alpha}) "
            "there, so its neurons keep learning."
        ),
        "ru": (
            "<b>Функции активации</b>: в вашей сети — {chosen} "
            "(попробовать другую: <code>/settings activation={other}</code>).\n\n"
            "• <b>Насыщение.</b> Сигмоида и гиперболический тангенс почти плоские при больших "
            "|z|: при z = 5 производная сигмоиды всего {sig5}, тангенса — {tanh5}. Обратное "
            "распространение ошибки умножает градиент на эту производную, поэтому насыщенный "
            "нейрон почти не учится.\n"
            "• <b>Затухающие градиенты.</b> σ′(z) не больше {peak}, поэтому каждый слой с "
            "сигмоидой уменьшает градиент как минимум вчетверо: через {layers} от него "
            "остаётся не больше {shrink}. Первые слои глубокой сети с сигмоидой учатся "
            "медленно; тангенс (производная до 1) и ReLU справляются лучше.\n"
            "• <b>Мёртвые ReLU.</b> ReLU′(z) = 0 при z &lt; 0. Нейрон, у которого z "
            "отрицательно на всех строках, не получает градиента и больше не меняется — он "
            "«умер». Часто нейроны убивает слишком большая скорость обучения. У ReLU с "
            "утечкой там остаётся небольшой наклон ({alpha}), и её нейроны продолжают учиться."
        ),
    },
    # --- /neurons ------------------------------------------------------------------------------
    "inside.neurons.not_two": {
        "en": "Neuron maps need a table with exactly 2 inputs (a plane to colour); yours has "
        "{count}. Try a ready one: /examples, for instance XOR.",
        "ru": "Карты нейронов рисуются для таблиц ровно с 2 входами (их плоскость и "
        "раскрашивается), а у вашей таблицы входов: {count}. Возьмите готовую: /examples, "
        "например XOR.",
    },
    "inside.neurons.no_hidden": {
        "en": "Your network has no hidden layer, so there are no hidden neurons to draw. Add "
        "one and train again: <code>/settings hidden=4</code>, then /train.",
        "ru": "В вашей сети нет скрытого слоя, так что рисовать нечего. Добавьте его и "
        "обучите заново: <code>/settings hidden=4</code>, затем /train.",
    },
    "inside.neurons.map": {
        "en": "layer {layer} · neuron {neuron}",
        "ru": "слой {layer} · нейрон {neuron}",
    },
    "inside.neurons.output": {"en": "output: {name}", "ru": "выход: {name}"},
    "inside.neurons.caption": {
        "en": "What each hidden neuron computes over the plane of your two inputs: red where "
        "its output a is high, blue where it is low, white in the middle. Dots are your rows; "
        "the last maps are the network's output.",
        "ru": "Что вычисляет каждый скрытый нейрон на плоскости двух ваших входов: красный — "
        "там, где его выход a большой, синий — где маленький, белый — середина. Точки — "
        "ваши строки; последние карты — выход сети.",
    },
    "inside.neurons.capped": {
        "en": "Hidden neurons: {total}; maps for {shown} of them, the first ones of each layer.",
        "ru": "Скрытых нейронов: {total}; карты — для {shown} из них, первых в каждом слое.",
    },
    # --- /compare ------------------------------------------------------------------------------
    "inside.compare.usage": {
        "en": "Compare one setting, with 2 to 5 values separated by commas, for example:\n"
        "<code>/compare lr=0.01,0.1,1</code>\n<code>/compare optimizer=sgd,momentum,adam</code>\n"
        "<code>/compare activation=sigmoid,tanh,relu</code>\n"
        "<code>/compare init=auto,normal</code>\n"
        "<code>/compare hidden=none,2,8x4</code> (8x4: two hidden layers)\n"
        "Every other setting, the seed too, stays as in /settings.",
        "ru": "Сравнивается одна настройка, от 2 до 5 значений через запятую, например:\n"
        "<code>/compare lr=0.01,0.1,1</code>\n<code>/compare optimizer=sgd,momentum,adam</code>\n"
        "<code>/compare activation=sigmoid,tanh,relu</code>\n"
        "<code>/compare init=auto,normal</code>\n"
        "<code>/compare hidden=none,2,8x4</code> (8x4 — два скрытых слоя)\n"
        "Все остальные настройки, включая зерно <code>seed</code>, остаются как в /settings.",
    },
    "inside.compare.count": {
        "en": "/compare trains from {low} to {high} variants at once; you gave {count}. "
        "For example: <code>/compare lr=0.01,0.1,1</code>.",
        "ru": "/compare обучает за раз от {low} до {high} вариантов, а вы указали: {count}. "
        "Например: <code>/compare lr=0.01,0.1,1</code>.",
    },
    "inside.word.variant": {"en": "variant|variants", "ru": "вариант|варианта|вариантов"},
    "inside.compare.starting": {
        "en": "🚀 Comparing {variants} of {shape}, all with the same seed, "
        "<code>seed={seed}</code>…",
        "ru": "🚀 Сравниваю {variants} сети {shape}, у всех одно и то же зерно "
        "<code>seed={seed}</code>…",
    },
    "inside.compare.done": {
        "en": "✅ Compared: {variants}. The curves and the verdict follow.",
        "ru": "✅ Сравнение готово: {variants}. Ниже — кривые и итог.",
    },
    "inside.compare.progress": {
        "en": "{shape} · variant {index} of {count}: <code>{label}</code>",
        "ru": "{shape} · вариант {index} из {count}: <code>{label}</code>",
    },
    "inside.compare.title": {
        "en": "The variants' loss, epoch by epoch",
        "ru": "Функция потерь вариантов по эпохам",
    },
    "inside.compare.legend": {"en": "{label} (final {loss})", "ru": "{label} (в конце {loss})"},
    "inside.compare.legend_diverged": {"en": "{label} (diverged)", "ru": "{label} (разошлось)"},
    "inside.compare.best": {
        "en": "Lowest final loss: {label} ({loss}).",
        "ru": "Наименьшее итоговое значение функции потерь: {label} ({loss}).",
    },
    "inside.compare.diverged": {
        "en": "Diverged: {labels}.",
        "ru": "Обучение разошлось: {labels}.",
    },
    "inside.compare.all_diverged": {
        "en": "Every variant diverged: try smaller learning rates.",
        "ru": "Обучение разошлось во всех вариантах: попробуйте скорость обучения поменьше.",
    },
    "inside.compare.line": {
        "en": "• <code>{label}</code>: final loss {loss}",
        "ru": "• <code>{label}</code>: итоговые потери {loss}",
    },
    "inside.compare.line_right": {
        "en": ", right: {right} of {rows}",
        "ru": ", верно: {right} из {rows}",
    },
    "inside.compare.line_cut": {
        "en": " (cut by the time limit at epoch {epoch} of {epochs})",
        "ru": " (остановлено по лимиту времени на эпохе {epoch} из {epochs})",
    },
    "inside.compare.line_stopped": {
        "en": " (stopped at epoch {epoch} of {epochs})",
        "ru": " (остановлено на эпохе {epoch} из {epochs})",
    },
    "inside.compare.line_diverged": {
        "en": "• <code>{label}</code>: diverged at epoch {epoch} (the loss stopped being a number)",
        "ru": "• <code>{label}</code>: обучение разошлось на эпохе {epoch} (потери перестали "
        "быть числом)",
    },
    "inside.compare.stopped": {
        "en": "⏹ Stopped before every variant had finished.",
        "ru": "⏹ Остановлено раньше, чем обучились все варианты.",
    },
    "inside.compare.adopt": {
        "en": "To train with the winner: <code>/settings {line}</code>, then /train.",
        "ru": "Чтобы обучить с победителем: <code>/settings {line}</code>, затем /train.",
    },
    "inside.compare.unchanged": {
        "en": "Your trained network and your settings are unchanged.",
        "ru": "Ваша обученная сеть и настройки не изменились.",
    },
    # --- /share and /start <code> --------------------------------------------------------------
    "inside.share.no_table": {
        "en": "There is nothing to share yet: send a table first (or pick one in /examples), "
        "choose its /settings, then /share.",
        "ru": "Делиться пока нечем: сначала пришлите таблицу (или выберите в /examples), "
        "настройте /settings, затем /share.",
    },
    "inside.share.link": {
        "en": "🔗 Give this link to your class:\n{link}\n\n"
        "Whoever opens it gets your table ({rows}) and your settings (network {shape}), and "
        "trains it themselves. Nothing else goes with it: not your trained network, not your "
        "history, not your chat. The link gives the table as it is now, even if you change it "
        "later. "
        "A chat keeps at most {limit} links working; /reset ends them all.",
        "ru": "🔗 Дайте эту ссылку классу:\n{link}\n\n"
        "Кто её откроет, получит вашу таблицу ({rows}) и ваши настройки (сеть {shape}) и "
        "обучит сеть сам. Больше ничего не передаётся: ни ваша обученная сеть, ни история, ни "
        "ваш чат. Ссылка даёт таблицу такой, какая она сейчас, даже если вы потом её смените. "
        "В одном чате "
        "работают не больше {limit} ссылок; после /reset все они перестают работать.",
    },
    "inside.share.dropped": {
        "en": "That made more than {limit} links, so your oldest link no longer works.",
        "ru": "Ссылок стало больше {limit}, поэтому самая старая из них больше не работает.",
    },
    "inside.share.unknown": {
        "en": "This link does not lead to an exercise: it may be mistyped, or its author "
        "cleared their chat with /reset. Ask for a new link, or send your own table "
        "(/examples has ready ones).",
        "ru": "По этой ссылке нет задания: возможно, в ней опечатка или её автор очистил чат "
        "командой /reset. Попросите новую ссылку или пришлите свою таблицу (готовые есть в "
        "/examples).",
    },
    "inside.share.unknown_short": {
        "en": "This exercise is no longer available. Ask for a new link, or send your own table.",
        "ru": "Это задание больше недоступно. Попросите новую ссылку или пришлите свою таблицу.",
    },
    "inside.share.already": {
        "en": "You already have this exercise: the same table and settings. /train to train.",
        "ru": "Это задание у вас уже есть: та же таблица и те же настройки. /train — обучить.",
    },
    "inside.share.ask": {
        "en": "This link brings a table ({rows}; columns: {columns}) and its settings. It "
        "replaces your current table and its trained network; your own settings are replaced "
        "too. Load it?",
        "ru": "По ссылке — таблица ({rows}; столбцы: {columns}) и её настройки. Она заменит "
        "вашу текущую таблицу вместе с обученной сетью, и ваши настройки тоже. Загрузить?",
    },
    "inside.share.button.load": {"en": "📥 Load the exercise", "ru": "📥 Загрузить задание"},
    "inside.share.button.keep": {"en": "Keep my table", "ru": "Оставить мою таблицу"},
    "inside.share.kept": {
        "en": "Your table stays as it was. The link keeps working if you change your mind.",
        "ru": "Ваша таблица осталась прежней. Ссылка продолжит работать, если передумаете.",
    },
    "inside.share.loaded": {
        "en": "📥 The shared exercise is now yours.",
        "ru": "📥 Задание по ссылке загружено.",
    },
    "inside.share.next": {
        "en": "Settings as shared: network {shape} (see /settings). /train to train it.",
        "ru": "Настройки — как у автора: сеть {shape} (подробнее в /settings). /train — обучить.",
    },
}
