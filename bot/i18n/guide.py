"""Messages of /lesson (the guided path through the classic article) and /quiz."""

MESSAGES = {
    "cmd.lesson": {
        "en": "a guided lesson: from one neuron to a network that reads digits",
        "ru": "урок по шагам: от одного нейрона до сети, которая читает цифры",
    },
    "cmd.quiz": {
        "en": "work out one step of /explain by hand, the bot checks your answer",
        "ru": "посчитать вручную один шаг /explain, бот проверит ответ",
    },
    "word.update": {"en": "update|updates", "ru": "шаг обучения|шага обучения|шагов обучения"},
    "word.times": {"en": "time|times", "ru": "раз|раза|раз"},
    "guide.head": {
        "en": "<b>Lesson, step {step} of {last}: {title}</b>",
        "ru": "<b>Урок, шаг {step} из {last}: {title}</b>",
    },
    "guide.working": {
        "en": "⏳ Step {step}: training with the real code, one moment…",
        "ru": "⏳ Шаг {step}: обучаю сеть настоящим кодом бота, минутку…",
    },
    "guide.drawing": {
        "en": "⏳ Step {step}: drawing, one moment…",
        "ru": "⏳ Шаг {step}: рисую, минутку…",
    },
    "guide.range": {
        "en": "The lesson has steps {first} to {last}: e.g. <code>/lesson 4</code>. "
        "<code>/lesson</code> alone goes on where you stopped.",
        "ru": "В уроке шаги с {first} по {last}: например, <code>/lesson 4</code>. "
        "Просто <code>/lesson</code> продолжает с места, где вы остановились.",
    },
    "guide.busy": {
        "en": "A training of this chat is still running. Wait for it (or /stop it), then "
        "<code>/lesson</code> again.",
        "ru": "В этом чате ещё идёт обучение. Дождитесь его конца (или остановите: /stop) и "
        "снова наберите <code>/lesson</code>.",
    },
    "guide.failed": {
        "en": "Step {step} could not finish ({reason}). Try <code>/lesson {step}</code> again "
        "in a minute.",
        "ru": "Шаг {step} не удалось довести до конца ({reason}). Попробуйте "
        "<code>/lesson {step}</code> ещё раз через минуту.",
    },
    "guide.limits": {
        "en": "This bot's host allows less than step {step} needs ({problem}), so I cannot "
        "run it here. <code>/lesson {next}</code> goes on to the next step.",
        "ru": "Хозяин этого бота разрешает меньше, чем нужно шагу {step} ({problem}), поэтому "
        "здесь я его выполнить не могу. <code>/lesson {next}</code> — следующий шаг.",
    },
    "guide.replaces": {
        "en": "Step {step} puts its own table into this chat in place of yours. Your table "
        "(and its trained network, if any) is kept: <code>/lesson restore</code> or the "
        "button «{button}» brings it back at any time.",
        "ru": "Шаг {step} положит в этот чат свою таблицу вместо вашей. Ваша таблица (и "
        "обученная на ней сеть, если была) сохранена: <code>/lesson restore</code> или "
        "кнопка «{button}» вернёт её в любой момент.",
    },
    "guide.restored": {
        "en": "Your table is back, with its settings and trained network. The lesson "
        "remembers step {step}: <code>/lesson</code> goes on.",
        "ru": "Ваша таблица вернулась вместе с настройками и обученной сетью. Урок помнит "
        "шаг {step}: <code>/lesson</code> продолжит.",
    },
    "guide.restored_untrained": {
        "en": "Your table is back, with its settings (it had no trained network yet). The "
        "lesson remembers step {step}: <code>/lesson</code> goes on.",
        "ru": "Ваша таблица вернулась вместе с настройками (обученной сети на ней ещё не "
        "было). Урок помнит шаг {step}: <code>/lesson</code> продолжит.",
    },
    "guide.nothing_saved": {
        "en": "The lesson has not put any of its tables in place of one of yours, so there "
        "is nothing to bring back.",
        "ru": "Урок не заменял вашу таблицу своей, так что возвращать нечего.",
    },
    "guide.bad_button": {
        "en": "This button is not one of the lesson's. /lesson shows where you are.",
        "ru": "Эта кнопка не из урока. /lesson покажет, где вы остановились.",
    },
    "guide.button.back": {"en": "◀ Back", "ru": "◀ Назад"},
    "guide.button.next": {"en": "Next ▶", "ru": "Дальше ▶"},
    "guide.button.restore": {"en": "↩ My table", "ru": "↩ Моя таблица"},
    "guide.nav": {
        "en": "Step {step} of {last}. Back and Next move through the lesson; "
        "<code>/lesson N</code> jumps to step N.",
        "ru": "Шаг {step} из {last}. «Назад» и «Дальше» ведут по уроку; "
        "<code>/lesson N</code> открывает шаг N.",
    },
    "guide.loaded": {
        "en": "This table and its trained network are now in the chat: try /predict, "
        "/explain, /net or /quiz on them.",
        "ru": "Эта таблица и обученная на ней сеть теперь в чате: попробуйте на них /predict, "
        "/explain, /net или /quiz.",
    },
    # --- the steps -----------------------------------------------------------------------------
    "guide.1.title": {"en": "one neuron, as in the article", "ru": "один нейрон, как в статье"},
    "guide.1.text": {
        "en": "The classic article's single neuron: three inputs, no bias, the sigmoid as its "
        "activation function. Its answer copies the first input. The starting weights come "
        "from <code>np.random.seed(1)</code>: {start}.\n\n"
        "Each update is the article's formula Δw = Xᵀ·(error · σ′(output)), over all four "
        "rows at once (that is gradient descent on the squared error with learning rate 2). "
        "The first iteration, worked out (o is the output, e the error, d = e·σ′(o)):\n"
        "<pre>{update}</pre>\n"
        "After {epochs} the neuron answers the new situation 1 0 0 with "
        "<b>ŷ = {answer}</b> — the article prints 0.99993704.",
        "ru": "Один нейрон из классической статьи: три входа, без смещения, функция активации "
        "— сигмоида. Его ответ повторяет первый вход. Начальные веса даёт "
        "<code>np.random.seed(1)</code>: {start}.\n\n"
        "Каждый шаг обучения — формула статьи Δw = Xᵀ·(ошибка · σ′(выход)), сразу по всем "
        "четырём строкам (это градиентный спуск по квадрату ошибки со скоростью обучения 2). "
        "Первая итерация, расписанная по числам (o — выход, e — ошибка, d = e·σ′(o)):\n"
        "<pre>{update}</pre>\n"
        "После {epochs} на новый случай 1 0 0 нейрон отвечает <b>ŷ = {answer}</b> — в "
        "статье напечатано 0.99993704.",
    },
    "guide.2.title": {
        "en": "why one neuron cannot learn XOR",
        "ru": "почему один нейрон не выучит XOR",
    },
    "guide.2.text": {
        "en": "XOR is 1 when exactly one input is 1. One neuron divides the plane by one "
        "straight line, and no straight line puts (0 1) and (1 0) on one side and (0 0) and "
        "(1 1) on the other: the best line gets <b>{best}</b> of the rows right.\n\n"
        "The same neuron trained on XOR answers:\n<pre>{rows}</pre>\n"
        "{accuracy} right: no training beats the best straight line. The picture shows the "
        "plane shaded by the neuron's probability of 1: its boundary is one straight line, "
        "and at least one of the four points is on the wrong side of it.",
        "ru": "XOR равен 1, когда ровно один вход равен 1. Один нейрон делит плоскость одной "
        "прямой, а никакая прямая не отделит (0 1) и (1 0) от (0 0) и (1 1): лучшая прямая "
        "угадывает <b>{best}</b> строк.\n\n"
        "Тот же нейрон, обученный на XOR, отвечает:\n<pre>{rows}</pre>\n"
        "Верно {accuracy}: никакое обучение не превзойдёт лучшую прямую. Картинка "
        "закрашивает плоскость по вероятности ответа 1: граница нейрона — одна прямая, и "
        "хотя бы одна из четырёх точек оказывается не по ту сторону.",
    },
    "guide.3.title": {"en": "a hidden layer solves XOR", "ru": "скрытый слой решает XOR"},
    "guide.3.text": {
        "en": "Now the same table with a hidden layer of {neurons} (tanh) between the inputs "
        "and the output. Each hidden neuron draws its own line; the output combines them, "
        "so the regions need not be split by one line. After training:\n<pre>{rows}</pre>\n"
        "<b>{accuracy}</b> right. The picture shows the regions it learned.",
        "ru": "Теперь та же таблица, но между входами и выходом стоит скрытый слой: {neurons} "
        "(гиперболический тангенс). Каждый скрытый нейрон проводит свою прямую, а выход "
        "их комбинирует, так что "
        "области уже не обязаны делиться одной прямой. После обучения:\n<pre>{rows}</pre>\n"
        "Верно <b>{accuracy}</b>. На картинке — области, которые сеть выучила.",
    },
    "guide.4.title": {
        "en": "backpropagation, worked by hand",
        "ru": "обратное распространение ошибки вручную",
    },
    "guide.4.text": {
        "en": "The article's 2-2-1 network: weight and height (shifted) → 1 for a woman. The "
        "worked step starts with every weight 1 and every bias 0, on the row «{row}» "
        "(x₁ = {x1}, x₂ = {x2}, answer 1), with the squared error L = (1 − ŷ)² as the loss "
        "function:\n<pre>"
        "h₁ = h₂ = σ(1·x₁ + 1·x₂ + 0) = {h}\n"
        "ŷ = σ(1·h₁ + 1·h₂ + 0) = {y}\n"
        "∂L/∂w₁ = {chain} = {product}</pre>\n"
        "(unrounded: {exact}). Training repeats such steps for every row; from a random start, "
        "as the article trains, the network then answers:\n<pre>{answers}</pre>",
        "ru": "Сеть 2-2-1 из статьи: вес и рост (со сдвигом) → 1 для женщины. Разобранный шаг "
        "начинается со всех весов, равных 1, и смещений 0, на строке «{row}» "
        "(x₁ = {x1}, x₂ = {x2}, ответ 1); функция потерь — квадрат ошибки L = (1 − ŷ)²:"
        "\n<pre>"
        "h₁ = h₂ = σ(1·x₁ + 1·x₂ + 0) = {h}\n"
        "ŷ = σ(1·h₁ + 1·h₂ + 0) = {y}\n"
        "∂L/∂w₁ = {chain} = {product}</pre>\n"
        "(без округления: {exact}). Обучение повторяет такие шаги для каждой строки; со "
        "случайного начала, как в статье, сеть потом отвечает:\n<pre>{answers}</pre>",
    },
    "guide.5.title": {
        "en": "why not start with every weight 1",
        "ru": "почему нельзя начинать со всех весов 1",
    },
    "guide.5.text": {
        "en": "The same XOR network (4 hidden neurons, tanh) trained twice. Left: every weight "
        "starts at 1. Every hidden neuron then computes the same thing and gets the same "
        "gradient, so they stay identical: {twins} This is symmetry, and the network is no "
        "better than one hidden neuron: {ones} right. Right: a random start "
        "(<code>init=auto</code>) breaks the symmetry: {random} right.",
        "ru": "Одна и та же сеть для XOR (4 скрытых нейрона, гиперболический тангенс), "
        "обученная дважды. Слева "
        "все веса начинаются с 1. Тогда каждый скрытый нейрон считает одно и то же и "
        "получает тот же градиент, поэтому они остаются одинаковыми: {twins} Это симметрия, "
        "и сеть не лучше одного скрытого нейрона: верно {ones}. Справа — случайное начало "
        "(<code>init=auto</code>), оно ломает симметрию: верно {random}.",
    },
    "guide.5.twins": {
        "en": "after training their bars are still the same.",
        "ru": "после обучения их столбики всё ещё одинаковы.",
    },
    "guide.5.not_twins": {
        "en": "(here rounding made them differ a little).",
        "ru": "(здесь округление их чуть-чуть развело).",
    },
    "guide.6.title": {
        "en": "stochastic or full-batch gradient descent",
        "ru": "стохастический или полный градиентный спуск",
    },
    "guide.6.text": {
        "en": "The article's four people, the same network, start and learning rate, trained "
        "two ways for the same number of epochs. Stochastic gradient descent updates the "
        "weights after every row: {sgd_updates}, final loss {sgd_loss}. Full-batch gradient "
        "descent takes one step per epoch with the mean gradient of all rows: "
        "{full_updates}, final loss {full_loss}. In the same number of epochs, a step after "
        "every row makes {times} as many steps, each one on a single row's gradient.",
        "ru": "Четыре человека из статьи, та же сеть, то же начало и та же скорость обучения, "
        "два способа и одинаковое число эпох. Стохастический градиентный спуск меняет веса "
        "после каждой строки: {sgd_updates}, итоговая потеря {sgd_loss}. Полный "
        "градиентный спуск делает один шаг за эпоху по среднему градиенту всех строк: "
        "{full_updates}, итоговая потеря {full_loss}. За то же число эпох шаги после каждой "
        "строки делают в {times} больше шагов, каждый — по градиенту одной строки.",
    },
    "guide.7.title": {"en": "activation functions compared", "ru": "функции активации рядом"},
    "guide.7.line": {
        "en": "{name}: loss {loss}, {accuracy} right",
        "ru": "{name}: потеря {loss}, верно {accuracy}",
    },
    "guide.7.text": {
        "en": "The same XOR network (4 hidden neurons), the same start, learning rate and "
        "epochs; only the hidden layer's activation function changes:\n<pre>{lines}</pre>\n"
        "Lowest final loss here: <b>{best}</b>. The sigmoid's slope is at most 0.25, so its "
        "gradients are small; tanh has slope 1 at zero; ReLU's slope is 0 for negative "
        "inputs, so a neuron that only gets those stops learning («dead ReLU»); leaky ReLU "
        "keeps a small slope there. <code>/settings activation=…</code> chooses it for your "
        "table.",
        "ru": "Та же сеть для XOR (4 скрытых нейрона), то же начало, скорость обучения и число "
        "эпох; меняется только функция активации скрытого слоя:\n<pre>{lines}</pre>\n"
        "Самая маленькая итоговая потеря здесь — <b>{best}</b>. Наклон сигмоиды не больше 0.25, "
        "поэтому её градиенты малы; у гиперболического тангенса наклон в нуле равен 1; у "
        "ReLU наклон 0 при "
        "отрицательном входе, и нейрон, которому приходят только такие, перестаёт учиться "
        "(«мёртвый ReLU»); ReLU с утечкой оставляет там небольшой наклон. "
        "<code>/settings activation=…</code> выбирает её для вашей таблицы.",
    },
    "guide.8.title": {"en": "overfitting and validation", "ru": "переобучение и валидация"},
    "guide.8.text": {
        "en": "{rows} of y = 2x + 1 with noise:\n<pre>{table}</pre>\n"
        "A big network (two hidden layers of 32) trained for {epochs}, with {kept} of the rows "
        "kept aside for validation (<code>validation=0.25</code>): the network never learns from "
        "them, they only check it. Training loss at the end: {train}. Validation loss was "
        "lowest at epoch {best_epoch} ({best_val}) and is {final_val} at the end. {verdict}",
        "ru": "{rows} прямой y = 2x + 1 с шумом:\n<pre>{table}</pre>\n"
        "Большая сеть (два скрытых слоя по 32 нейрона) обучалась {epochs}; строк, "
        "отложенных для валидации "
        "(<code>validation=0.25</code>): {kept}. На них сеть не учится, они "
        "только её проверяют. Потеря на обучающих строках в конце: {train}. Потеря на "
        "валидации была меньше всего на эпохе {best_epoch} ({best_val}), а в конце — "
        "{final_val}. {verdict}",
    },
    "guide.8.rises": {
        "en": "The training loss kept falling while the validation loss rose: the network "
        "memorised the noise of its rows instead of the rule. That is <b>overfitting</b>. "
        "Stopping at epoch {best_epoch} would have kept the network at its best validation "
        "loss: that is early stopping.",
        "ru": "Потеря на обучении падала, а на валидации росла: сеть запомнила шум своих "
        "строк вместо закона. Это и есть <b>переобучение</b>. Остановка на эпохе "
        "{best_epoch} сохранила бы сеть с наименьшей потерей на валидации: это ранняя "
        "остановка.",
    },
    "guide.8.steady": {
        "en": "This time the validation loss did not rise at the end, so the network did not "
        "overfit visibly.",
        "ru": "В этот раз потеря на валидации к концу не выросла, и явного переобучения нет.",
    },
    "guide.8.no_validation": {
        "en": "The validation rows could not be set aside on this host, so there is no "
        "validation curve to show.",
        "ru": "На этом сервере не удалось отложить строки для валидации, поэтому кривой "
        "валидации нет.",
    },
    "guide.9.title": {"en": "what a convolution does", "ru": "что делает свёртка"},
    "guide.9.text": {
        "en": "The digit reader of this bot starts with a convolutional layer of {filters} "
        "filters, 3×3 weights each; the picture shows the first {shown} (top row, red "
        "positive, blue negative). Each filter slides over the picture and lights up where "
        "the picture looks like it: edges, strokes, corners. Below each filter is its feature "
        "map on {source}.",
        "ru": "Распознаватель цифр этого бота начинается со свёрточного слоя: в нём "
        "фильтров — {filters}, у каждого 3×3 веса; на картинке первые {shown} (верхний "
        "ряд, красное — "
        "положительные веса, синее — отрицательные). Каждый фильтр скользит по картинке и "
        "загорается там, где картинка на него похожа: края, штрихи, углы. Под каждым "
        "фильтром — его карта признаков для {source}.",
    },
    "guide.9.own": {"en": "your last photo", "ru": "вашей последней фотографии"},
    "guide.9.ready": {
        "en": "a digit from MNIST (send a photo of a digit, then <code>/lesson 9</code> shows "
        "your own)",
        "ru": "цифры из MNIST (пришлите фото цифры, и <code>/lesson 9</code> покажет вашу)",
    },
    "guide.10.title": {"en": "your own digit reader", "ru": "свой распознаватель цифр"},
    "guide.10.text": {
        "en": "That is the whole path of the article. Next: /lab, the digits lab, trains a "
        "network on handwritten digits with the same library, shows its accuracy and its "
        "mistakes, and reads your photos with it. /quiz asks you to compute one step of "
        "/explain by hand on the network in this chat. <code>/lesson 1</code> starts the "
        "lesson again.",
        "ru": "Это весь путь статьи. Дальше — /lab, лаборатория цифр: она обучает сеть на "
        "рукописных цифрах той же библиотекой, показывает её точность и ошибки и читает ею "
        "ваши фотографии. /quiz просит посчитать вручную один шаг /explain на сети этого "
        "чата. <code>/lesson 1</code> начинает урок заново.",
    },
    # --- pictures --------------------------------------------------------------------------
    "guide.picture.bias": {"en": "bias", "ru": "смещение"},
    "guide.picture.weight": {"en": "weight after training", "ru": "вес после обучения"},
    "guide.picture.symmetry": {
        "en": "Hidden neurons after training",
        "ru": "Скрытые нейроны после обучения",
    },
    "guide.picture.start_textbook": {
        "en": "start: all weights 1 ({percent} right)",
        "ru": "начало: все веса 1 (верно {percent})",
    },
    "guide.picture.start_auto": {
        "en": "start: random ({percent} right)",
        "ru": "начало: случайное (верно {percent})",
    },
    "guide.picture.overfitting": {
        "en": "A big network on 9 noisy points",
        "ru": "Большая сеть на 9 точках с шумом",
    },
    "guide.picture.train": {"en": "training rows", "ru": "обучающие строки"},
    "guide.picture.validation": {"en": "validation rows", "ru": "строки валидации"},
    "guide.picture.best": {
        "en": "lowest validation loss (epoch {epoch})",
        "ru": "наименьшая потеря на валидации (эпоха {epoch})",
    },
    "guide.picture.batches": {
        "en": "Stochastic vs full-batch gradient descent",
        "ru": "Стохастический и полный градиентный спуск",
    },
    "guide.picture.batches.sgd": {"en": "one row per update", "ru": "шаг после каждой строки"},
    "guide.picture.batches.full": {"en": "whole table per update", "ru": "шаг по всей таблице"},
    "guide.picture.activations": {
        "en": "XOR with each activation function",
        "ru": "XOR с разными функциями активации",
    },
    "guide.picture.activations.sigmoid": {"en": "sigmoid", "ru": "сигмоида"},
    "guide.picture.activations.tanh": {"en": "tanh", "ru": "гиперб. тангенс"},
    "guide.picture.activations.relu": {"en": "ReLU", "ru": "ReLU"},
    "guide.picture.activations.leaky_relu": {"en": "leaky ReLU", "ru": "ReLU с утечкой"},
    # --- /quiz ---------------------------------------------------------------------------------
    "quiz.question": {
        "en": "<b>Quiz, question {number}</b>. Row {row} of your table, with the numbers of the "
        "network in this chat (inputs as the network sees them). Work out {what}\n"
        "<pre>{givens}</pre>\nReply with a number (a decimal comma is fine). I accept it "
        "within 1% of the value, or within 0.0005 near zero: what rounding each number to 3 "
        "significant digits allows.",
        "ru": "<b>Задача {number}</b>. Строка {row} вашей таблицы и числа сети этого чата "
        "(входы — такими, какими их видит сеть). Посчитайте {what}\n"
        "<pre>{givens}</pre>\nОтветьте числом (можно с запятой). Я приму ответ с точностью "
        "до 1% от значения или до 0.0005 около нуля: столько даёт округление каждого числа "
        "до 3 значащих цифр.",
    },
    "quiz.ask.z": {
        "en": "the weighted sum of neuron {neuron}: z = Σ w·x + b.",
        "ru": "взвешенную сумму нейрона {neuron}: z = Σ w·x + b.",
    },
    "quiz.ask.a": {
        "en": "the output of neuron {neuron}: {neuron} = {f}(z), where z = Σ w·x + b.",
        "ru": "выход нейрона {neuron}: {neuron} = {f}(z), где z = Σ w·x + b.",
    },
    "quiz.ask.yhat": {
        "en": "the network's answer ŷ = {f}(z), where z = Σ w·h + b over the hidden outputs.",
        "ru": "ответ сети ŷ = {f}(z), где z = Σ w·h + b по выходам скрытых нейронов.",
    },
    "quiz.ask.loss.mse": {
        "en": "the loss function on this row: L = (ŷ − y)².",
        "ru": "функцию потерь на этой строке: L = (ŷ − y)².",
    },
    "quiz.ask.loss.bce": {
        "en": "the loss function on this row (binary cross-entropy): L = −ln ŷ when y = 1, "
        "L = −ln(1 − ŷ) when y = 0.",
        "ru": "функцию потерь на этой строке (бинарная перекрёстная энтропия): L = −ln ŷ при "
        "y = 1, L = −ln(1 − ŷ) при y = 0.",
    },
    "quiz.ask.grad": {
        "en": "the gradient {symbol} = {chain}, where {last} = x·f′(z) with f = {f}: x is the "
        "input of this weight, z the weighted sum of its neuron.",
        "ru": "градиент {symbol} = {chain}, где {last} = x·f′(z), f = {f}: x — вход этого "
        "веса, z — взвешенная сумма его нейрона.",
    },
    "quiz.right": {
        "en": "✅ Right: {symbol} = {exact} (you wrote {answer}).\n<pre>{working}</pre>\n"
        "Score: {score}. /quiz gives the next question.",
        "ru": "✅ Верно: {symbol} = {exact} (ваш ответ {answer}).\n<pre>{working}</pre>\n"
        "Счёт: {score}. /quiz — следующая задача.",
    },
    "quiz.wrong": {
        "en": "❌ Not quite: {symbol} = {exact}, you wrote {answer}. {differs}\n"
        "<pre>{working}</pre>\nScore: {score}. /quiz gives the next question.",
        "ru": "❌ Не совсем: {symbol} = {exact}, а у вас {answer}. {differs}\n"
        "<pre>{working}</pre>\nСчёт: {score}. /quiz — следующая задача.",
    },
    "quiz.score": {
        "en": "{right} right of {answered}",
        "ru": "{right} из {answered} верно",
    },
    "quiz.not_number": {
        "en": "I am waiting for a number for {symbol}, e.g. <code>0.524</code> or "
        "<code>−0,0214</code>. <code>/quiz new</code> gives another question.",
        "ru": "Жду число для {symbol}, например <code>0.524</code> или <code>−0,0214</code>. "
        "<code>/quiz new</code> — другая задача.",
    },
    "quiz.pending": {
        "en": "This question is still waiting for your answer (<code>/quiz new</code> gives "
        "another one):",
        "ru": "Эта задача ещё ждёт ответа (<code>/quiz new</code> — другая задача):",
    },
    "quiz.differs.bias": {
        "en": "The first thing that differs is the bias: your number is the sum without it.",
        "ru": "Первое, что расходится, — смещение: ваше число — это сумма без него.",
    },
    "quiz.differs.gave_a": {
        "en": "That is the neuron's output a = f(z); z is the sum before the activation function.",
        "ru": "Это выход нейрона a = f(z), а z — сумма до функции активации.",
    },
    "quiz.differs.sum": {
        "en": "The weighted sum differs: multiply each weight by its input, then add them and "
        "the bias.",
        "ru": "Расходится взвешенная сумма: умножьте каждый вес на его вход, потом сложите "
        "произведения и смещение.",
    },
    "quiz.differs.no_f": {
        "en": "That is z itself: the activation function {f} is not applied yet.",
        "ru": "Это сама сумма z: функция активации {f} ещё не применена.",
    },
    "quiz.differs.z": {
        "en": "The first factor that differs is z: your answer is {f}({implied}), but z = {z}.",
        "ru": "Первым расходится z: ваш ответ — это {f}({implied}), а z = {z}.",
    },
    "quiz.differs.f": {
        "en": "z is right; the activation function {f} differs: check how {f}(z) is computed.",
        "ru": "z верно, расходится функция активации {f}: проверьте, как считается {f}(z).",
    },
    "quiz.differs.square": {
        "en": "That is |ŷ − y|: the square is missing.",
        "ru": "Это |ŷ − y|: не хватает квадрата.",
    },
    "quiz.differs.log10": {
        "en": "That is the decimal logarithm: the loss uses the natural logarithm ln.",
        "ru": "Это десятичный логарифм, а в функции потерь натуральный логарифм ln.",
    },
    "quiz.differs.which": {
        "en": "That is the logarithm of the other probability: for y = 1 take ln ŷ, for y = 0 "
        "ln(1 − ŷ).",
        "ru": "Это логарифм другой вероятности: при y = 1 берётся ln ŷ, при y = 0 — ln(1 − ŷ).",
    },
    "quiz.differs.loss": {
        "en": "Compare your steps with the working below, line by line.",
        "ru": "Сравните свои шаги с расчётом ниже, строку за строкой.",
    },
    "quiz.differs.sign": {
        "en": "Only the sign differs: check the signs of the factors.",
        "ru": "Расходится только знак: проверьте знаки множителей.",
    },
    "quiz.differs.product": {
        "en": "Every factor is right; the multiplication differs.",
        "ru": "Все множители верны, расходится само умножение.",
    },
    "quiz.differs.no_slope": {
        "en": "The first factor that differs is {factor}: you took x alone, the slope f′(z) "
        "is missing.",
        "ru": "Первым расходится множитель {factor}: вы взяли только x, не хватает наклона f′(z).",
    },
    "quiz.differs.no_x": {
        "en": "The first factor that differs is {factor}: you took f′(z) alone, the input x "
        "is missing.",
        "ru": "Первым расходится множитель {factor}: вы взяли только f′(z), не хватает входа x.",
    },
    "quiz.differs.last": {
        "en": "The first factor that differs is {factor}: your answer needs it to be "
        "{implied}, but x·f′(z) = {value}.",
        "ru": "Первым расходится множитель {factor}: для вашего ответа он должен быть "
        "{implied}, а x·f′(z) = {value}.",
    },
}
