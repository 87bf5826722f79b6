"""Messages of /explain: one training step written out, in English and Russian."""

MESSAGES = {
    "lesson.no_table": {
        "en": "First give me a table (/table or /examples); then /explain shows the maths on it.",
        "ru": (
            "Сначала дайте таблицу (/table или /examples), потом /explain покажет на ней "
            "математику."
        ),
    },
    "lesson.choice.options": {
        "en": (
            "a row number from 1 to {rows}, or new inputs — {values_word} ({columns}), e.g. "
            "<code>/explain {example}</code>"
        ),
        "ru": (
            "номер строки от 1 до {rows} или новые входы — {values_word} ({columns}), "
            "например <code>/explain {example}</code>"
        ),
    },
    "lesson.choice.options_named": {
        "en": (
            "a row number from 1 to {rows}, a name ({names}), or new inputs — {values_word} "
            "({columns}), e.g. <code>/explain {example}</code>"
        ),
        "ru": (
            "номер строки от 1 до {rows}, имя ({names}) или новые входы — {values_word} "
            "({columns}), например <code>/explain {example}</code>"
        ),
    },
    "lesson.choice.bad_row": {
        "en": "❌ There is no row {text}: the table has {rows_word}. Give {options}.",
        "ru": "❌ Строки {text} нет: в таблице {rows_word}. Укажите {options}.",
    },
    "lesson.choice.bad_row_value": {
        "en": (
            "❌ There is no row {text}: the table has {rows_word}. If you mean the input value "
            "{text}, write <code>/explain {text} → ?</code> (a lone whole number is a row "
            "number). Or give {options}."
        ),
        "ru": (
            "❌ Строки {text} нет: в таблице {rows_word}. Если это входное значение {text}, "
            "напишите <code>/explain {text} → ?</code> (одно целое число — это номер строки). "
            "Или укажите {options}."
        ),
    },
    "lesson.choice.unknown": {
        "en": "❌ No row is called “{text}”, and it is not a set of numbers. Give {options}.",
        "ru": "❌ Строки с именем «{text}» нет, и это не числа. Укажите {options}.",
    },
    "lesson.choice.bad_count": {
        "en": (
            "❌ That is {got_values}, but the table has {inputs_word} ({columns}). Give "
            "{values_word}, e.g. <code>/explain {example}</code>, or a row number from 1 to "
            "{rows}."
        ),
        "ru": (
            "❌ Здесь {got_values}, а в таблице {inputs_word} ({columns}). Укажите "
            "{values_word}, например <code>/explain {example}</code>, или номер строки от 1 "
            "до {rows}."
        ),
    },
    "lesson.choice.one_row": {
        "en": "❌ /explain works through one row at a time. Give {options}.",
        "ru": "❌ /explain разбирает одну строку за раз. Укажите {options}.",
    },
    "lesson.choice.no_inputs": {
        "en": (
            "❌ Give the inputs before the answer, e.g. <code>/explain {plain} = "
            "{answer_example}</code>."
        ),
        "ru": (
            "❌ Перед ответом укажите входы, например <code>/explain {plain} = "
            "{answer_example}</code>."
        ),
    },
    "lesson.choice.ambiguous": {
        "en": "❓ “{text}” fits more than one row:\n{options}\nSend the one you mean.",
        "ru": "❓ «{text}» подходит к нескольким строкам:\n{options}\nОтправьте нужную команду.",
    },
    "lesson.choice.option_row": {"en": "row {row}", "ru": "строка {row}"},
    "lesson.choice.option_question": {"en": "question", "ru": "вопрос"},
    "lesson.choice.bad_answer": {
        "en": (
            "❌ “{answer}” is not a class of this table. After = (or →) give one of: {classes}, "
            "e.g. <code>/explain {plain} = {answer_example}</code>."
        ),
        "ru": (
            "❌ «{answer}» — не класс этой таблицы. После = (или →) укажите один из классов: "
            "{classes}, например <code>/explain {plain} = {answer_example}</code>."
        ),
    },
    "lesson.choice.bad_answer_number": {
        "en": (
            "❌ “{answer}” does not fit as the right answer: after = (or →) give {targets_word} "
            "({targets}), e.g. <code>/explain {plain} = {answer_example}</code>."
        ),
        "ru": (
            "❌ «{answer}» не подходит как правильный ответ: после = (или →) нужно "
            "{targets_word} ({targets}), например <code>/explain {plain} = "
            "{answer_example}</code>."
        ),
    },
    "lesson.cannot.network": {
        "en": (
            "I can't write out this network: I explain plain layered networks (Dense layers "
            "with activations) made for the current table. Try /train again."
        ),
        "ru": (
            "Эту сеть я расписать не могу: я объясняю обычные сети из полносвязных слоёв "
            "с активациями, построенные для текущей таблицы. Попробуйте заново /train."
        ),
    },
    "lesson.title": {
        "en": "🔍 <b>One training step, by hand</b> — row {row}{name}",
        "ru": "🔍 <b>Один шаг обучения вручную</b> — строка {row}{name}",
    },
    "lesson.title_question": {
        "en": "🔍 <b>The network's arithmetic, by hand</b> — a question from your table{name}",
        "ru": "🔍 <b>Вычисления сети вручную</b> — вопрос из вашей таблицы{name}",
    },
    "lesson.title_values": {
        "en": "🔍 <b>The network's arithmetic, by hand</b> — new inputs{name}",
        "ru": "🔍 <b>Вычисления сети вручную</b> — новые входы{name}",
    },
    "lesson.title_other_answer": {
        "en": "🔍 <b>The network's arithmetic, by hand</b> — row {row}{name} with your answer",
        "ru": "🔍 <b>Вычисления сети вручную</b> — строка {row}{name} с вашим ответом",
    },
    "lesson.row_unknown": {
        "en": "Inputs: {inputs}; the right answer is not known.",
        "ru": "Входы: {inputs}; правильный ответ неизвестен.",
    },
    "lesson.answer": {
        "en": "So the network answers: {answer}.",
        "ru": "Итак, сеть отвечает: {answer}.",
    },
    "lesson.need_answer": {
        "en": (
            "<b>2. Backward pass</b>: it needs the right answer. The loss function measures how "
            "far the output is from it, and the chain rule carries its gradient back to every "
            "weight. Give the answer after = (or an arrow, → or -&gt;), e.g. "
            "<code>/explain {subject} = {answer}</code>, and I will show the loss, every "
            "gradient and the update."
        ),
        "ru": (
            "<b>2. Обратный проход</b>: для него нужен правильный ответ. Функция потерь "
            "измеряет, насколько выход далёк от него, а цепное правило несёт её градиент назад "
            "к каждому весу. Укажите ответ после = (или стрелки → или -&gt;), например "
            "<code>/explain {subject} = {answer}</code>, — и я покажу функцию потерь, все "
            "градиенты и шаг обучения."
        ),
    },
    "lesson.softmax_gradient": {
        "en": (
            "Softmax and cross-entropy together have a simple gradient at each output's "
            "weighted sum: ∂L/∂z = p − y, the probability minus the right answer written as 1 "
            "for the right class and 0 for the others (the last lines above). Every chain "
            "below starts from these numbers, and from them the gradient goes back to the "
            "hidden layer."
        ),
        "ru": (
            "У софтмакса вместе с перекрёстной энтропией простой градиент по взвешенной сумме "
            "каждого выхода: ∂L/∂z = p − y — вероятность минус правильный ответ, записанный "
            "как 1 у верного класса и 0 у остальных (последние строки выше). С этих чисел "
            "начинается каждая цепочка ниже, и от них градиент идёт назад к скрытому слою."
        ),
    },
    "lesson.softmax_hidden": {
        "en": (
            "Back to the hidden layer: each hidden neuron feeds every output, so its gradient "
            "adds up what comes back along each connection, ∂L/∂h = Σ (p − y)·w:"
        ),
        "ru": (
            "Назад к скрытому слою: каждый скрытый нейрон связан со всеми выходами, поэтому "
            "его градиент — сумма того, что приходит по каждой связи: ∂L/∂h = Σ (p − y)·w:"
        ),
    },
    "lesson.row": {
        "en": "Inputs: {inputs}; the right answer (target): <b>{target}</b>.",
        "ru": "Входы: {inputs}; правильный ответ (цель): <b>{target}</b>.",
    },
    "lesson.network": {
        "en": (
            "Network: {shape} (neurons per layer; {functions}: {activations}); "
            "learning rate η = {lr}."
        ),
        "ru": (
            "Сеть: {shape} (нейроны по слоям; {functions}: {activations}); скорость "
            "обучения η = {lr}."
        ),
    },
    "lesson.activation_function": {
        "en": "activation function|activation functions",
        "ru": "функция активации|функции активации|функций активации",
    },
    "lesson.trained": {
        "en": "These are the weights of your trained network.",
        "ru": "Это веса вашей обученной сети.",
    },
    "lesson.untrained": {
        "en": "Not trained yet: these are the starting weights that /train would begin with.",
        "ru": "Сеть ещё не обучена: это начальные веса, с которых начнёт /train.",
    },
    "lesson.article_start": {
        "en": (
            "Not trained yet. As in the article, this worked step starts from every weight 1 "
            "and every bias 0, so you can check each number by hand. Training itself starts, "
            "like the article's code, from random weights: from all-ones the hidden neurons "
            "would stay twins."
        ),
        "ru": (
            "Сеть ещё не обучена. Как в статье, этот шаг считается от весов, равных 1, и "
            "смещений, равных 0, — каждое число можно проверить вручную. Само обучение, как "
            "код статьи, начинается со случайных весов: от одних единиц скрытые нейроны "
            "остались бы близнецами."
        ),
    },
    "lesson.legacy_start": {
        "en": (
            "Not trained yet: these are the article's starting weights, 2·random − 1 from "
            "NumPy's generator after np.random.seed(seed), the ones /train begins with."
        ),
        "ru": (
            "Сеть ещё не обучена: это начальные веса из статьи, 2·<code>random</code> − 1 из "
            "генератора NumPy после <code>np.random.seed(seed)</code>, с них и начнёт /train."
        ),
    },
    "lesson.symmetric": {
        "en": (
            "⚠️ Every hidden neuron starts with the same weights, so each computes the same "
            "number and gets the same gradient: they stay twins for ever (symmetry), and the "
            "layer works like a single neuron. Break the symmetry with a random start: "
            "<code>/settings init=auto</code>."
        ),
        "ru": (
            "⚠️ Все скрытые нейроны начинают с одинаковых весов, поэтому считают одно и то же "
            "и получают одинаковый градиент: они навсегда остаются близнецами (симметрия), и "
            "слой работает как один нейрон. Нарушьте симметрию случайным стартом: "
            "<code>/settings init=auto</code>."
        ),
    },
    "lesson.textbook_start": {
        "en": (
            "Not trained yet, textbook start: every weight is 1 and every bias 0, so you can "
            "check each number by hand."
        ),
        "ru": (
            "Сеть ещё не обучена, учебный старт: все веса равны 1, все смещения — 0, так что "
            "каждое число можно проверить вручную."
        ),
    },
    "lesson.scaled": {
        "en": (
            "The inputs are standardised first (minus the column mean, divided by its spread), "
            "so the network sees the numbers below, not the raw ones."
        ),
        "ru": (
            "Входы сначала стандартизуются (вычитается среднее столбца, делится на разброс), "
            "поэтому сеть видит числа ниже, а не исходные."
        ),
    },
    "lesson.forward": {
        "en": (
            "<b>1. Forward pass</b>, neuron by neuron: the weighted sum z of the inputs plus "
            "the bias, then the activation function a = f(z)."
        ),
        "ru": (
            "<b>1. Прямой проход</b>, нейрон за нейроном: взвешенная сумма z входов плюс "
            "смещение, затем функция активации a = f(z)."
        ),
    },
    "lesson.layer_summary": {
        "en": "… layer {layer}: {count} neurons in all, outputs from {low} to {high}",
        "ru": "… слой {layer}: всего нейронов {count}, выходы от {low} до {high}",
    },
    "lesson.loss": {
        "en": "<b>2. Loss function</b> ({name}): how wrong the answer is, and which way to move "
        "it.",
        "ru": "<b>2. Функция потерь</b> ({name}): насколько ответ неверен и куда его сдвигать.",
    },
    "loss.name.mse": {
        "en": "mean squared error, MSE",
        "ru": "среднеквадратичная ошибка, MSE",
    },
    "loss.name.binary_cross_entropy": {
        "en": "binary cross-entropy",
        "ru": "бинарная перекрёстная энтропия",
    },
    "loss.name.softmax_cross_entropy": {
        "en": "cross-entropy after softmax",
        "ru": "перекрёстная энтропия после софтмакса",
    },
    "lesson.exact": {"en": "(exactly {value})", "ru": "(точно: {value})"},
    "lesson.backward": {
        "en": (
            "<b>3. Backward pass</b>: the chain rule, from the loss back to every weight. "
            "Each factor has as many digits as it needs for the product to come out right "
            "(check it with a calculator)."
        ),
        "ru": (
            "<b>3. Обратный проход</b>: цепное правило, от функции потерь назад к каждому весу. "
            "У каждого множителя столько цифр, сколько нужно, чтобы произведение сошлось "
            "(проверьте на калькуляторе)."
        ),
    },
    "lesson.backward_rounded": {
        "en": (
            "<b>3. Backward pass</b>: the chain rule, from the loss back to every weight. As in "
            "the article, each factor is rounded to 3 significant digits before it is used; "
            "the exact gradient is given beside it, and the update uses the exact one."
        ),
        "ru": (
            "<b>3. Обратный проход</b>: цепное правило, от функции потерь назад к каждому весу. "
            "Как в статье, каждый множитель сначала округлён до 3 значащих цифр; рядом — "
            "точный градиент, и шаг обучения делается по точному."
        ),
    },
    "lesson.largest": {
        "en": (
            "The network has {total}; here are the {shown} with the largest gradients — they "
            "change most in this step."
        ),
        "ru": (
            "В сети {total}; вот {shown} с наибольшими градиентами — они меняются на этом "
            "шаге сильнее всего."
        ),
    },
    "lesson.update": {
        "en": (
            "<b>4. Update</b> (gradient descent, one row per step) — the last line of each "
            "block: every weight moves against its gradient, w ← w − η·∂L/∂w with η = {lr}. "
            "A positive gradient makes the weight smaller, a negative one larger."
        ),
        "ru": (
            "<b>4. Шаг обучения</b> (градиентный спуск, по одной строке за шаг) — последняя "
            "строка каждого блока: вес сдвигается против своего градиента, w ← w − η·∂L/∂w, "
            "η = {lr}. Положительный градиент уменьшает вес, отрицательный — увеличивает."
        ),
    },
    "lesson.update_new": {
        "en": (
            "<b>4. Update</b> (gradient descent) — the last line of each block: a step on this "
            "example alone would move every weight against its gradient, w ← w − η·∂L/∂w "
            "with η = {lr}. Training steps only on the rows of the table: to make the network "
            "learn this example, add it to the table."
        ),
        "ru": (
            "<b>4. Шаг обучения</b> (градиентный спуск) — последняя строка каждого блока: шаг "
            "по одному этому примеру сдвинул бы каждый вес против его градиента, "
            "w ← w − η·∂L/∂w, η = {lr}. Обучение делает шаги только по строкам таблицы: чтобы "
            "сеть выучила этот пример, добавьте его в таблицу."
        ),
    },
    "lesson.outro_values": {
        "en": (
            "A row of your table, with the step training really takes on it: "
            "<code>/explain 1</code>."
        ),
        "ru": (
            "Строка вашей таблицы и шаг, который обучение делает на ней на самом деле: "
            "<code>/explain 1</code>."
        ),
    },
    "lesson.batch_whole": {
        "en": (
            "<b>4. The step training really takes</b> (gradient descent, the whole table in "
            "each step): the gradients above are for this row only. Training computes them "
            "for all {rows}, takes their mean, and only then moves every weight once: "
            "w ← w − η·mean(∂L/∂w), η = {lr}."
        ),
        "ru": (
            "<b>4. Шаг, который делает обучение</b> (градиентный спуск, вся таблица за один "
            "шаг): градиенты выше — только для этой строки. Обучение считает их для "
            "всех строк ({rows}), берёт среднее и лишь потом один раз сдвигает каждый вес: "
            "w ← w − η·среднее(∂L/∂w), η = {lr}."
        ),
    },
    "lesson.batch_part": {
        "en": (
            "<b>4. The step training really takes</b> (mini-batch gradient descent): the "
            "gradients above are for this row only. Training averages them over a batch of "
            "{rows} (here: this row and the next ones; the batches are shuffled every epoch) "
            "and then moves every weight: w ← w − η·mean(∂L/∂w), η = {lr}."
        ),
        "ru": (
            "<b>4. Шаг, который делает обучение</b> (градиентный спуск по мини-пакетам): "
            "градиенты выше — только для этой строки. Обучение усредняет их по пакету "
            "(здесь {rows}: эта и следующие; пакеты перемешиваются каждую эпоху) и затем "
            "сдвигает каждый вес: w ← w − η·среднее(∂L/∂w), η = {lr}."
        ),
    },
    "lesson.article_form": {
        "en": (
            "<b>5. The same step as in the article</b>: Δw = {k}Xᵀ·(error · σ′(output)), "
            "where error = y − output and σ′(output) = output·(1 − output), over all {rows} "
            "at once. It is the step above: η·mean(∂L/∂w) with η = {lr} and MSE. Here are "
            "the numbers of the first iteration, from the starting weights:"
        ),
        "ru": (
            "<b>5. Тот же шаг, как в статье</b>: Δw = {k}Xᵀ·(ошибка · σ′(выход)), где "
            "ошибка = y − выход, σ′(выход) = выход·(1 − выход), сразу по всей таблице "
            "({rows}). Это тот же шаг, что выше: η·среднее(∂L/∂w) при η = {lr} и MSE. "
            "Числа первой итерации, от начальных весов:"
        ),
    },
    "lesson.article_k": {"en": "k·", "ru": "k·"},
    "lesson.optimizer": {
        "en": (
            "Your optimizer is {optimizer}: it uses these same gradients but sizes each step "
            "its own way; the lines above show the plain gradient-descent step (SGD)."
        ),
        "ru": (
            "Ваш оптимизатор — {optimizer}: он берёт те же градиенты, но величину шага считает "
            "по-своему; выше показан обычный шаг градиентного спуска."
        ),
    },
    "lesson.separability": {
        "en": (
            "⚠️ A single neuron draws one straight line, and no straight line separates this "
            "table: at most {percent} of its rows can come out right, and training often ends "
            "with ŷ near 0.5 (unsure) for every row. A hidden layer can bend the border: "
            "<code>/settings {advice}</code> (a hidden layer of 8 tanh neurons, Adam, "
            "2000 epochs), then /train again."
        ),
        "ru": (
            "⚠️ Один нейрон проводит одну прямую, а эту таблицу прямой не разделить: верными "
            "могут выйти не больше {percent} строк, и обучение часто заканчивается на ŷ около "
            "0.5 (сеть не уверена) для каждой строки. Скрытый слой умеет изогнуть границу: "
            "<code>/settings {advice}</code> (скрытый слой из 8 нейронов с гиперболическим "
            "тангенсом, Adam, 2000 эпох), затем снова /train."
        ),
    },
    "lesson.outro_row": {
        "en": (
            "Training takes this step for each row in turn, epoch after epoch. Another row: "
            "<code>/explain {next}</code>."
        ),
        "ru": (
            "Обучение делает такой шаг для каждой строки по очереди, эпоха за эпохой. Другая "
            "строка: <code>/explain {next}</code>."
        ),
    },
    "lesson.outro_batch": {
        "en": (
            "Training repeats this averaged step, epoch after epoch. Another row's gradients: "
            "<code>/explain {next}</code>."
        ),
        "ru": (
            "Обучение повторяет этот усреднённый шаг эпоха за эпохой. Градиенты другой строки: "
            "<code>/explain {next}</code>."
        ),
    },
}
