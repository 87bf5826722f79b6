"""Messages of /explain: one training step written out, in English and Russian."""

MESSAGES = {
    "lesson.no_table": {
        "en": "First give me a table (/table or /examples); then /explain shows the maths on it.",
        "ru": (
            "Сначала дайте таблицу (/table или /examples), потом /explain покажет на ней "
            "математику."
        ),
    },
    "lesson.bad_row": {
        "en": (
            "Which row? Give its number from 1 to {count} (or its name), e.g. <code>/explain "
            "2</code>."
        ),
        "ru": (
            "Какую строку? Укажите номер от 1 до {count} (или имя), например <code>/explain "
            "2</code>."
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
    "lesson.row": {
        "en": "Inputs: {inputs}; the right answer (target): <b>{target}</b>.",
        "ru": "Входы: {inputs}; правильный ответ (цель): <b>{target}</b>.",
    },
    "lesson.network": {
        "en": "Network: {shape} neurons (activation: {activations}); learning rate η = {lr}.",
        "ru": "Сеть: {shape} нейронов (активация: {activations}); скорость обучения η = {lr}.",
    },
    "lesson.trained": {
        "en": "These are the weights of your trained network.",
        "ru": "Это веса вашей обученной сети.",
    },
    "lesson.untrained": {
        "en": "Not trained yet: these are the starting weights that /train would begin with.",
        "ru": "Сеть ещё не обучена: это начальные веса, с которых начнёт /train.",
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
            "the bias, then the activation a = f(z)."
        ),
        "ru": (
            "<b>1. Прямой проход</b>, нейрон за нейроном: взвешенная сумма z входов плюс "
            "смещение, затем активация a = f(z)."
        ),
    },
    "lesson.layer_summary": {
        "en": "… layer {layer}: {count} neurons in all, outputs from {low} to {high}",
        "ru": "… слой {layer}: всего нейронов {count}, выходы от {low} до {high}",
    },
    "lesson.loss": {
        "en": "<b>2. Loss</b> ({name}): how wrong the answer is, and which way to move it.",
        "ru": "<b>2. Ошибка</b> ({name}): насколько ответ неверен и куда его сдвигать.",
    },
    "lesson.backward": {
        "en": (
            "<b>3. Backward pass</b>: the chain rule, from the loss back to every weight. "
            "Factors are rounded to {digits} significant digits, as textbooks print them; the "
            "update uses the exact gradient."
        ),
        "ru": (
            "<b>3. Обратный проход</b>: цепное правило, от ошибки назад к каждому весу. "
            "Множители округлены до {digits} значащих цифр, как в учебниках; шаг обучения "
            "использует точный градиент."
        ),
    },
    "lesson.largest": {
        "en": (
            "The network has {total} weights and biases; here are the {shown} with the largest "
            "gradients — they change most in this step."
        ),
        "ru": (
            "В сети {total} весов и смещений; вот {shown} с наибольшими градиентами — они "
            "меняются на этом шаге сильнее всего."
        ),
    },
    "lesson.update": {
        "en": (
            "<b>4. Update</b> (SGD) — the last line of each block: every weight moves against "
            "its gradient, w ← w − η·∂L/∂w with η = {lr}. A positive gradient makes the weight "
            "smaller, a negative one larger."
        ),
        "ru": (
            "<b>4. Шаг обучения</b> (SGD) — последняя строка каждого блока: вес сдвигается "
            "против своего градиента, w ← w − η·∂L/∂w, η = {lr}. Положительный градиент "
            "уменьшает вес, отрицательный — увеличивает."
        ),
    },
    "lesson.optimizer": {
        "en": (
            "Your optimizer is {optimizer}: it uses these same gradients but scales the step "
            "its own way; the lines above show the plain SGD step."
        ),
        "ru": (
            "Ваш оптимизатор — {optimizer}: он берёт те же градиенты, но шаг считает по-своему; "
            "выше показан обычный шаг SGD."
        ),
    },
    "lesson.separability": {
        "en": (
            "⚠️ A single neuron draws one straight line, and no straight line separates this "
            "table: the best possible is {percent} right (XOR: 75%). Add a hidden layer: "
            "<code>/settings hidden=2</code>."
        ),
        "ru": (
            "⚠️ Один нейрон проводит одну прямую, а эту таблицу прямой не разделить: в лучшем "
            "случае {percent} верных ответов (XOR: 75%). Добавьте скрытый слой: <code>/settings "
            "hidden=2</code>."
        ),
    },
    "lesson.outro": {
        "en": (
            "Training repeats exactly this for every row, epoch after epoch. Another row: "
            "<code>/explain {next}</code>."
        ),
        "ru": (
            "Обучение повторяет ровно это для каждой строки, эпоха за эпохой. Другая строка: "
            "<code>/explain {next}</code>."
        ),
    },
}
