"""Messages of the digits lab: /lab, its settings and errors, the results, personal reading."""

MESSAGES = {
    "cmd.lab": {
        "en": "the digits lab: build and train your own digit network",
        "ru": "лаборатория цифр: соберите и обучите свою сеть для цифр",
    },
    # --- /lab -----------------------------------------------------------------------------------
    "lab.bad_button": {
        "en": "This button is not one of the lab's. Send /lab to see its settings and buttons.",
        "ru": "Эта кнопка не из лаборатории. Отправьте /lab, чтобы увидеть её настройки и кнопки.",
    },
    "lab.view": {
        "en": (
            "<b>🧪 Digits lab</b>{preset}\n"
            "Your network reads a 28×28 digit:\n<pre>{layers}</pre>\n"
            "<b>{params}</b> weights and biases.\n\n"
            "<b>Training</b>: {images} MNIST digits ({validation} of them kept for validation), "
            "{epochs} epochs, lr {lr} (falling to {lr_end} by the end), batch {batch}, "
            "distortions {augment}, seed {seed}.\n"
            "Tested on {test} digits it never sees in training.\n\n"
            "Change it like this:\n"
            "<code>/lab layers=conv8,pool,conv16,pool,dense64 epochs=3 lr=0.002</code>\n"
            "Layers: <code>conv N</code>, <code>pool</code>, <code>dense N</code>, "
            "<code>dropout 0.3</code>, <code>tanh</code>/<code>sigmoid</code>/"
            "<code>leaky_relu</code> (instead of ReLU). Other settings: <code>images</code>, "
            "<code>epochs</code>, <code>lr</code>, <code>batch</code>, <code>augment=on</code>, "
            "<code>validation=10%</code>, <code>seed</code>.\n"
            "Also: /lab train · /lab off · /lab weights · /lab collect · /lab personal"
        ),
        "ru": (
            "<b>🧪 Лаборатория цифр</b>{preset}\n"
            "Ваша сеть читает цифру 28×28:\n<pre>{layers}</pre>\n"
            "Весов и смещений: <b>{params}</b>.\n\n"
            "<b>Обучение</b>: цифр MNIST — {images} (из них {validation} — для проверки), "
            "эпох — {epochs}, скорость обучения <code>lr</code> {lr} (к концу падает до {lr_end}), "
            "батч {batch}, искажения: {augment}, <code>seed</code> {seed}.\n"
            "Проверка — на цифрах, которых сеть не видит при обучении: {test}.\n\n"
            "Поменять можно так:\n"
            "<code>/lab layers=conv8,pool,conv16,pool,dense64 epochs=3 lr=0.002</code>\n"
            "Слои: <code>conv N</code> (свёртка), <code>pool</code>, <code>dense N</code>, "
            "<code>dropout 0.3</code>, <code>tanh</code>/<code>sigmoid</code>/"
            "<code>leaky_relu</code> (вместо ReLU). Прочее: <code>images</code>, "
            "<code>epochs</code>, <code>lr</code>, <code>batch</code>, <code>augment=on</code>, "
            "<code>validation=10%</code>, <code>seed</code>.\n"
            "Ещё: /lab train · /lab off · /lab weights · /lab collect · /lab personal"
        ),
    },
    "lab.view.output": {"en": "output 10 + softmax", "ru": "выход 10 + софтмакс"},
    "lab.view.input": {"en": "input 28×28", "ru": "вход 28×28"},
    "lab.view.preset": {"en": " · preset <b>{name}</b>", "ru": " · пресет <code>{name}</code>"},
    "lab.on": {"en": "on", "ru": "вкл"},
    "lab.off_word": {"en": "off", "ru": "выкл"},
    "lab.button.train": {"en": "▶️ Train", "ru": "▶️ Обучить"},
    "lab.preset.softmax": {"en": "softmax: one neuron per digit", "ru": "нейрон на цифру"},
    "lab.preset.mlp": {"en": "mlp: 784-64-10", "ru": "сеть 784-64-10"},
    "lab.preset.cnn": {"en": "cnn: small convolutional", "ru": "маленькая свёрточная"},
    "lab.preset.reader": {"en": "reader: the bot's own", "ru": "как у бота"},
    "lab.preset.overfit": {
        "en": "overfit: big net, 300 digits",
        "ru": "переобучение: большая, 300 цифр",
    },
    # --- errors ---------------------------------------------------------------------------------
    "lab.error.syntax": {
        "en": "I don't understand <code>{token}</code>. Write settings as <code>key=value</code>; "
        "the keys are: {keys}.",
        "ru": "Не понимаю <code>{token}</code>. Пишите настройки как <code>ключ=значение</code>; "
        "ключи: {keys}.",
    },
    "lab.error.preset": {
        "en": "There is no preset <code>{value}</code>. Presets: {allowed}.",
        "ru": "Пресета <code>{value}</code> нет. Есть: {allowed}.",
    },
    "lab.error.augment": {
        "en": "<code>augment</code> is <code>on</code> or <code>off</code>, "
        "not <code>{value}</code>.",
        "ru": "<code>augment</code> — это <code>on</code> или <code>off</code>, "
        "а не <code>{value}</code>.",
    },
    "lab.error.range": {
        "en": "<code>{name}</code> must be a number from {low} to {high}; "
        "<code>{value}</code> is not.",
        "ru": "<code>{name}</code> — число от {low} до {high}; <code>{value}</code> не подходит.",
    },
    "lab.error.too_many_layers": {
        "en": "That is {count} layers; the lab takes at most {limit}.",
        "ru": "Слоёв получилось {count}, а в лаборатории можно не больше {limit}.",
    },
    "lab.error.layer": {
        "en": "<code>{entry}</code> is not a layer I know. Use <code>conv 8</code>, "
        "<code>pool</code>, <code>dense 64</code>, <code>dropout 0.3</code>, or an activation: "
        "<code>relu</code>, <code>tanh</code>, <code>sigmoid</code>, <code>leaky_relu</code>. "
        "Separate layers with commas.",
        "ru": "<code>{entry}</code> — такого слоя я не знаю. Есть <code>conv 8</code>, "
        "<code>pool</code>, <code>dense 64</code>, <code>dropout 0.3</code> и активации "
        "<code>relu</code>, <code>tanh</code>, <code>sigmoid</code>, <code>leaky_relu</code>. "
        "Слои разделяйте запятыми.",
    },
    "lab.error.layer_needs_size": {
        "en": "<code>{entry}</code> needs a size, for example <code>{example}</code>.",
        "ru": "Для <code>{entry}</code> нужен размер, например <code>{example}</code>.",
    },
    "lab.error.layer_size": {
        "en": "<code>{entry}</code>: the size must be from 1 to {limit}.",
        "ru": "<code>{entry}</code>: размер должен быть от 1 до {limit}.",
    },
    "lab.error.dropout": {
        "en": "<code>{entry}</code>: dropout switches off a share of the values, from 0.01 to "
        "0.89 (or 1% to 89%).",
        "ru": "<code>{entry}</code>: прореживание (<code>dropout</code>) выключает долю значений — "
        "от 0.01 до 0.89 (или от 1% до 89%).",
    },
    "lab.error.conv_after_dense": {
        "en": "Layer {position} is a convolution after a dense layer. A convolution needs an "
        "image, and a dense layer turns the image into a flat list: put every "
        "<code>conv</code> and <code>pool</code> before the first <code>dense</code>.",
        "ru": "Слой {position} — свёртка после полносвязного слоя. Свёртке нужна картинка, а "
        "полносвязный слой превращает её в плоский список: ставьте все <code>conv</code> и "
        "<code>pool</code> до первого <code>dense</code>.",
    },
    "lab.error.pool_after_dense": {
        "en": "Layer {position} is <code>pool</code> after a dense layer; pooling shrinks an "
        "image, so it goes before the first <code>dense</code>.",
        "ru": "Слой {position} — <code>pool</code> после полносвязного слоя; пулинг уменьшает "
        "картинку, поэтому он стоит до первого <code>dense</code>.",
    },
    "lab.error.pool_too_small": {
        "en": "Layer {position}: the image is already 1×1, there is nothing left to pool. "
        "Remove a <code>pool</code>.",
        "ru": "Слой {position}: картинка уже 1×1, уменьшать нечего. Уберите один "
        "<code>pool</code>.",
    },
    "lab.error.activation_alone": {
        "en": "<code>{entry}</code> must come right after a <code>conv</code> or "
        "<code>dense</code> layer: it replaces that layer's ReLU.",
        "ru": "<code>{entry}</code> ставится сразу после <code>conv</code> или "
        "<code>dense</code>: он заменяет ReLU этого слоя.",
    },
    "lab.error.parameters": {
        "en": "This network would have {count} weights and biases; this bot's limit is {limit}. "
        "Use fewer filters or neurons, or add a <code>pool</code> before the first "
        "<code>dense</code>.",
        "ru": "Весов и смещений у такой сети было бы {count}, а лимит этого бота — {limit}. "
        "Возьмите меньше фильтров или нейронов или добавьте <code>pool</code> перед первым "
        "<code>dense</code>.",
    },
    "lab.error.memory": {
        "en": "With batch {batch} one training step of this network needs too much memory. "
        "Try a smaller <code>batch</code> (e.g. 64) or fewer filters.",
        "ru": "С батчем {batch} один шаг обучения этой сети требует слишком много памяти. "
        "Возьмите батч поменьше (например, <code>batch=64</code>) или меньше фильтров.",
    },
    "lab.error.no_data": {
        "en": "The lab's digits could not be read on this server ({problem}). The host can fix "
        "it: MNIST_PATH must point at an .npz with x_train, y_train, x_test, y_test.",
        "ru": "Не удалось прочитать цифры лаборатории на этом сервере ({problem}). Это может "
        "исправить владелец бота: <code>MNIST_PATH</code> должен указывать на файл "
        "<code>.npz</code> с <code>x_train, y_train, x_test, y_test</code>.",
    },
    "lab.error.unknown": {
        "en": "<code>/lab {word}</code>? I know /lab, /lab train, /lab off, /lab weights, "
        "/lab collect, /lab personal, and settings such as <code>/lab preset=cnn</code>.",
        "ru": "<code>/lab {word}</code>? Я знаю /lab, /lab train, /lab off, /lab weights, "
        "/lab collect, /lab personal и настройки вроде <code>/lab preset=cnn</code>.",
    },
    # --- training and its results ---------------------------------------------------------------
    "lab.starting": {
        "en": "🧪 Training <code>{shape}</code> on {images} digits…",
        "ru": "🧪 Обучаю <code>{shape}</code>, цифр для обучения: {images}…",
    },
    "lab.end.done": {
        "en": "✅ Trained <code>{shape}</code>: {epochs_counted} in {elapsed}.",
        "ru": "✅ Сеть <code>{shape}</code> обучена: {epochs_counted} за {elapsed}.",
    },
    "lab.end.stopped": {
        "en": "⏹ Stopped after epoch {epochs} of {total} ({elapsed}); the network learned so far "
        "is kept and tested below.",
        "ru": "⏹ Остановлено после эпохи {epochs} из {total} ({elapsed}); сеть, обученная до "
        "этого момента, сохранена и проверена ниже.",
    },
    "lab.end.timeout": {
        "en": "⏱ This bot gives one training at most {limit}; it stopped after epoch {epochs} of "
        "{total}. The network so far is kept and tested below. Fewer images or epochs finish "
        "in time.",
        "ru": "⏱ На одно обучение этот бот даёт не больше {limit}; оно остановлено после "
        "эпохи {epochs} из {total}. Сеть сохранена и проверена ниже. С меньшим числом цифр "
        "или эпох обучение успеет закончиться.",
    },
    "lab.end.failed": {
        "en": "❌ The lab training failed. Please try again; if it keeps failing, choose a "
        "preset with /lab.",
        "ru": "❌ Обучение не удалось. Попробуйте ещё раз; если не выйдет — выберите пресет "
        "в /lab.",
    },
    "lab.result": {
        "en": (
            "<b>Test accuracy: {accuracy}%</b> — {right} of {count} digits it never saw in "
            "training read right (trained on {train} digits of {source})."
        ),
        "ru": (
            "<b>Точность на тесте: {accuracy}%</b> — из цифр, которых сеть не видела при "
            "обучении, верно прочитаны {right} из {count} (обучалась на цифрах {source}: "
            "их {train})."
        ),
    },
    "lab.source.subset": {
        "en": "the MNIST subset shipped with the bot",
        "ru": "набора MNIST, встроенного в бота",
    },
    "lab.source.full": {"en": "MNIST ({name})", "ru": "MNIST ({name})"},
    "lab.confusions": {
        "en": "Most frequent mistakes: {items}.",
        "ru": "Чаще всего путает: {items}.",
    },
    "lab.confusion_item": {
        "en": "{true} taken for {said}: {count} {times}",
        "ru": "{true} за {said} — {count} {times}",
    },
    "lab.times.one": {"en": "time", "ru": "раз"},
    "lab.times.few": {"en": "times", "ru": "раза"},
    "lab.times.many": {"en": "times", "ru": "раз"},
    "lab.no_confusions": {
        "en": "Not a single mistake on the test digits.",
        "ru": "На тестовых цифрах — ни одной ошибки.",
    },
    "lab.overfit": {
        "en": (
            "📈 <b>Overfitting.</b> The validation loss was lowest after epoch {epoch} and then "
            "rose (from {low} to {last}) while the training loss kept falling: the network "
            "started to memorise its {train} training digits instead of learning what digits "
            "look like. More images, fewer epochs, a smaller network or "
            "<code>dropout 0.3</code> help."
        ),
        "ru": (
            "📈 <b>Переобучение.</b> Ошибка на проверочных цифрах была наименьшей после эпохи "
            "{epoch}, а потом росла (с {low} до {last}), хотя ошибка на обучающих продолжала "
            "падать: сеть начала запоминать обучающие цифры (их {train}) вместо того, чтобы "
            "учиться тому, как выглядят цифры. Помогают больше картинок, меньше эпох, сеть "
            "поменьше или <code>dropout 0.3</code>."
        ),
    },
    "lab.next": {
        "en": "Now send me a photo of a digit: your network and the bot's reader will both read "
        "it. /lab off goes back to the reader alone; /lab weights downloads your network.",
        "ru": "Теперь пришлите фото цифры: её прочитают и ваша сеть, и читалка бота. "
        "/lab off — вернуться к одной читалке; /lab weights — скачать вашу сеть.",
    },
    "lab.caption.curves": {
        "en": "Loss and accuracy per epoch: training (solid) and validation (dashed).",
        "ru": "Ошибка и точность по эпохам: на обучающих (сплошная) и проверочных (пунктир) "
        "цифрах.",
    },
    "lab.caption.confusion": {
        "en": "Confusion matrix: row = the true digit, column = what your network said. The "
        "diagonal is right; every other number is a mistake.",
        "ru": "Матрица ошибок: строка — настоящая цифра, столбец — ответ вашей сети. На "
        "диагонали — верные ответы, всё остальное — ошибки.",
    },
    "lab.caption.gallery": {
        "en": "Test digits your network got wrong, the most confident mistakes first.",
        "ru": "Тестовые цифры, на которых ваша сеть ошиблась; сначала самые уверенные ошибки.",
    },
    "lab.caption.filters": {
        "en": "A convolution slides a small 3×3 filter over the image and, at every position, "
        "adds up the pixels weighted by the filter, so each filter lights up wherever its "
        "pattern (an edge, a stroke in one direction) appears. Top: the first layer's filters "
        "(red positive, blue negative); below: the map each one makes of this digit.",
        "ru": "Свёртка скользит маленьким фильтром 3×3 по картинке и в каждом положении "
        "складывает пиксели с весами фильтра, поэтому каждый фильтр загорается там, где "
        "встречается его узор (край, штрих в одну сторону). Сверху — фильтры первого слоя "
        "(красное — плюс, синее — минус), снизу — карта, которую каждый строит по этой цифре.",
    },
    "lab.plot.title": {"en": "Your digit network, epoch by epoch", "ru": "Ваша сеть по эпохам"},
    "lab.plot.train": {"en": "training digits", "ru": "обучающие цифры"},
    "lab.plot.validation": {"en": "validation digits", "ru": "проверочные цифры"},
    "lab.plot.loss": {"en": "loss", "ru": "функция потерь"},
    "lab.plot.accuracy": {"en": "accuracy, %", "ru": "точность, %"},
    "lab.plot.epoch": {"en": "epoch", "ru": "эпоха"},
    "lab.plot.turn": {
        "en": "validation turns up after epoch {epoch}:\noverfitting",
        "ru": "после эпохи {epoch} проверка идёт вверх:\nпереобучение",
    },
    "lab.confusion.title": {"en": "Test digits: true × answer", "ru": "Тест: цифра × ответ"},
    "lab.confusion.said": {"en": "your network said", "ru": "ответ вашей сети"},
    "lab.confusion.true": {"en": "true digit", "ru": "настоящая цифра"},
    "lab.gallery.title": {
        "en": "Mistakes on test digits ({count} in all)",
        "ru": "Ошибки на тестовых цифрах (всего {count})",
    },
    "lab.gallery.item": {
        "en": "{true} → {said} ({confidence}%)",
        "ru": "{true} → {said} ({confidence}%)",
    },
    "lab.gallery.none": {"en": "no mistakes", "ru": "ошибок нет"},
    "lab.filters.title": {
        "en": "First convolution: {shown} of its {total} filters and their maps",
        "ru": "Первая свёртка: фильтры ({shown} из {total}) и их карты",
    },
    "lab.filters.input": {"en": "the digit", "ru": "цифра"},
    "lab.filters.filter": {"en": "filter {number}", "ru": "фильтр {number}"},
    "lab.filters.map": {"en": "its map", "ru": "его карта"},
    # --- photos, collecting, the personal reader ---------------------------------------------
    "lab.both.lab": {
        "en": "🧪 <b>your network: {mine}</b>, the reader: {reader}",
        "ru": "🧪 <b>ваша сеть: {mine}</b>, читалка бота: {reader}",
    },
    "lab.both.personal": {
        "en": "✍️ <b>your personal reader: {mine}</b>, the shipped reader: {reader}",
        "ru": "✍️ <b>ваша личная читалка: {mine}</b>, обычная читалка: {reader}",
    },
    "lab.photo_while_training": {
        "en": "Your network is still training (see the progress message above), so only the "
        "bot's reader answers this photo. Send it again when the training is done.",
        "ru": "Ваша сеть ещё обучается (см. сообщение о ходе обучения выше), поэтому на это фото "
        "отвечает только читалка бота. Пришлите его ещё раз, когда обучение закончится.",
    },
    "lab.off": {
        "en": "Back to the bot's reader alone. Your networks are kept: /lab weights downloads "
        "them.",
        "ru": "Снова читает только читалка бота. Ваши сети сохранены: /lab weights их скачает.",
    },
    "lab.weights.caption": {
        "en": "Your network as an nncore file (<code>{name}</code>). In Python: "
        '<code>import nncore as nn; model = nn.load("{name}")</code>; it takes '
        "(n, 1, 28, 28) digits in [0, 1], ink = 1.",
        "ru": "Ваша сеть в формате nncore (<code>{name}</code>). В Python: "
        '<code>import nncore as nn; model = nn.load("{name}")</code>; на вход — цифры '
        "(n, 1, 28, 28) в [0, 1], чернила = 1.",
    },
    "lab.weights.none": {
        "en": "No lab network yet: train one with /lab train.",
        "ru": "Сети из лаборатории пока нет: обучите её командой /lab train.",
    },
    "lab.collect.start": {
        "en": "✍️ Let's collect your handwriting. Write a <b>0</b> on paper and send me a photo "
        "of it. Then I'll ask for 1, 2, … 9. You have {examples} now; /lab personal "
        "needs {need}. /lab off stops collecting.",
        "ru": "✍️ Соберём ваш почерк. Напишите на бумаге <b>0</b> и пришлите фото. Потом я "
        "попрошу 1, 2, … 9. Сейчас у вас {examples}; для /lab personal нужно {need}. "
        "/lab off — прекратить сбор.",
    },
    "lab.collect.got": {
        "en": "Kept as a {digit} (the reader read {said}); {examples} in all. Now write "
        "a <b>{next}</b> and send a photo.",
        "ru": "Сохранено как {digit} (читалка прочитала {said}); всего {examples}. "
        "Теперь напишите <b>{next}</b> и пришлите фото.",
    },
    "lab.collect.done": {
        "en": "Kept as a {digit} (the reader read {said}); {examples} in all. That was "
        "every digit! /lab collect gives another round; with {need} or more, /lab personal "
        "teaches a copy of the reader your handwriting.",
        "ru": "Сохранено как {digit} (читалка прочитала {said}); всего {examples}. "
        "Все цифры собраны! /lab collect — ещё круг; когда примеров {need} или больше, "
        "/lab personal научит копию читалки вашему почерку.",
    },
    "lab.personal.few": {
        "en": "I have {examples} of your handwriting and need at least {need}. "
        "/lab collect asks for them one digit at a time; the digits you pick under "
        '"Wrong?" count too.',
        "ru": "У меня {examples} вашего почерка, а нужно не меньше {need}. /lab collect "
        "попросит их по одной цифре; цифры, выбранные под «Ошибка?», тоже считаются.",
    },
    "lab.personal.spread": {
        "en": "To check the result I keep some examples of each digit aside, so I need at "
        "least two examples of some digits. Another round of /lab collect does it.",
        "ru": "Чтобы проверить результат, я откладываю часть примеров каждой цифры, поэтому "
        "нужно хотя бы по два примера некоторых цифр. Пройдите /lab collect ещё раз.",
    },
    "lab.personal.shape": {"en": "the reader + your digits", "ru": "читалка + ваши цифры"},
    "lab.personal.starting": {
        "en": "✍️ Teaching a copy of the reader your handwriting ({count} examples, mixed with "
        "MNIST digits so it does not forget them)…",
        "ru": "✍️ Учу копию читалки вашему почерку (примеров: {count}, вперемешку с цифрами "
        "MNIST, чтобы она их не забыла)…",
    },
    "lab.personal.result": {
        "en": "✍️ <b>Your personal reader is ready</b> ({elapsed}). On {held} of your examples "
        "it never trained on: {before}% right before, <b>{after}%</b> after (trained on the "
        "other {trained}). On {mnist} MNIST test digits: {mnist_before}% before, "
        "{mnist_after}% after.\nFrom now on your photos are read by it; /lab off goes back "
        "to the shipped reader.",
        "ru": "✍️ <b>Ваша личная читалка готова</b> ({elapsed}). На ваших примерах, на "
        "которых она не училась (их {held}): было {before}% верных, стало <b>{after}%</b> "
        "(училась на остальных — их {trained}). На тестовых цифрах MNIST (их {mnist}): было "
        "{mnist_before}%, стало {mnist_after}%.\nТеперь ваши фото читает она; /lab off — "
        "вернуться к обычной читалке.",
    },
    # --- restarts (bot.app sends these for a lab training a restart cut short) --------------
    "lab.training_interrupted": {
        "en": "⚠️ I was restarted while your digit network was training, so it did not finish. "
        "Your lab settings are safe — send /lab train to start it again.",
        "ru": "⚠️ Меня перезапустили, пока обучалась ваша сеть для цифр, и обучение не "
        "завершилось. Настройки лаборатории целы — отправьте /lab train, чтобы начать заново.",
    },
    "lab.training_stopped_shutdown": {
        "en": "⏹ I'm restarting for maintenance, so I stopped the training of your digit "
        "network. Your lab settings are safe — send /lab train again in a minute.",
        "ru": "⏹ Я перезапускаюсь на обслуживание, поэтому остановил обучение вашей сети для "
        "цифр. Настройки лаборатории целы — отправьте /lab train ещё раз через минуту.",
    },
    "lab.personal.training_interrupted": {
        "en": "⚠️ I was restarted while I was learning your handwriting, so it did not finish. "
        "Your examples are safe — send /lab personal to start again.",
        "ru": "⚠️ Меня перезапустили, пока я учился вашему почерку, и обучение не завершилось. "
        "Ваши примеры целы — отправьте /lab personal, чтобы начать заново.",
    },
    "lab.personal.training_stopped_shutdown": {
        "en": "⏹ I'm restarting for maintenance, so I stopped learning your handwriting. "
        "Your examples are safe — send /lab personal again in a minute.",
        "ru": "⏹ Я перезапускаюсь на обслуживание, поэтому перестал учиться вашему почерку. "
        "Ваши примеры целы — отправьте /lab personal ещё раз через минуту.",
    },
}
