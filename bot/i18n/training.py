"""Messages of training: /settings, /train and its progress, /stop, and the pictures."""

MESSAGES = {
    # --- command menu --------------------------------------------------------------------------
    "cmd.settings": {
        "en": "network shape, learning rate, epochs… (/settings lr=0.5 hidden=4)",
        "ru": "форма сети, скорость обучения, эпохи… (/settings lr=0.5 hidden=4)",
    },
    "cmd.train": {"en": "train the network on your table", "ru": "обучить сеть на вашей таблице"},
    "cmd.stop": {
        "en": "stop training, keep what it learned",
        "ru": "остановить обучение, сохранив выученное",
    },
    "cmd.plot": {
        "en": "the loss curve of the last training",
        "ru": "график функции потерь последнего обучения",
    },
    "cmd.net": {"en": "draw the network with its weights", "ru": "нарисовать сеть с весами"},
    "cmd.boundary": {
        "en": "decision regions (tables with 2 inputs)",
        "ru": "области решений (таблицы с 2 входами)",
    },
    "cmd.weights": {"en": "download the trained network", "ru": "скачать обученную сеть"},
    # --- /settings -----------------------------------------------------------------------------
    "train.task.regression": {"en": "regression (numbers)", "ru": "регрессия (числа)"},
    "train.task.binary": {"en": "two classes", "ru": "два класса"},
    "train.task.multiclass": {"en": "several classes", "ru": "несколько классов"},
    "train.task.none": {"en": "no table yet", "ru": "таблицы пока нет"},
    "settings.current": {
        "en": (
            "<b>Training settings</b> · {task}\n"
            "• network: <code>{shape}</code>, {params}\n"
            "• hidden layers <code>hidden={hidden}</code>, activation function "
            "<code>{activation}</code>, biases <code>bias={bias}</code>\n"
            "• loss function <code>{loss}</code>, optimizer <code>{optimizer}</code>, "
            "learning rate <code>lr={lr}</code>\n"
            "• <code>epochs={epochs}</code>, <code>batch={batch}</code>, "
            "<code>validation={validation}</code>, <code>seed={seed}</code>\n"
            "• start <code>init={init}</code>, input scaling <code>scale={scale}</code>"
        ),
        "ru": (
            "<b>Настройки обучения</b> · {task}\n"
            "• сеть: <code>{shape}</code>, {params}\n"
            "• скрытые слои <code>hidden={hidden}</code>, функция активации "
            "<code>{activation}</code>, смещения <code>bias={bias}</code>\n"
            "• функция потерь <code>{loss}</code>, оптимизатор <code>{optimizer}</code>, "
            "скорость обучения <code>lr={lr}</code>\n"
            "• <code>epochs={epochs}</code>, <code>batch={batch}</code>, "
            "<code>validation={validation}</code>, <code>seed={seed}</code>\n"
            "• старт <code>init={init}</code>, масштаб входов <code>scale={scale}</code>"
        ),
    },
    "settings.help": {
        "en": (
            "Change them with the buttons or as text, e.g. "
            "<code>/settings lr=0.5 hidden=8,4 epochs=2000</code>.\n"
            "<code>hidden=none</code> — a single neuron; <code>init=textbook</code> — all "
            "weights 1, biases 0; <code>preset=article</code> — the classic article's 2-2-1 "
            "network; "
            "<code>preset=default</code> — back to defaults."
        ),
        "ru": (
            "Меняйте кнопками или текстом, например "
            "<code>/settings lr=0.5 hidden=8,4 epochs=2000</code>.\n"
            "<code>hidden=none</code> — один нейрон; <code>init=textbook</code> — все веса 1, "
            "смещения 0; <code>preset=article</code> — сеть 2-2-1 из классической статьи; "
            "<code>preset=default</code> — вернуть настройки по умолчанию."
        ),
    },
    "settings.changed": {"en": "✅ Settings updated.", "ru": "✅ Настройки изменены."},
    "settings.during_training": {
        "en": "They apply to the next /train (the running one keeps its settings).",
        "ru": "Они подействуют со следующего /train (текущее обучение идёт со старыми).",
    },
    "settings.button.cycle": {"en": "{name}: {value} ▸", "ru": "{name}: {value} ▸"},
    "settings.name.hidden": {"en": "hidden", "ru": "скрытые"},
    "settings.name.activation": {"en": "activation", "ru": "активация"},
    "settings.name.optimizer": {"en": "optimizer", "ru": "оптимизатор"},
    "settings.name.init": {"en": "start", "ru": "старт"},
    "settings.name.lr": {"en": "lr", "ru": "скорость"},
    "settings.name.epochs": {"en": "epochs", "ru": "эпохи"},
    "settings.value.none": {"en": "none", "ru": "нет"},
    "settings.button.train": {"en": "▶ Train", "ru": "▶ Обучить"},
    "settings.button.defaults": {"en": "↺ Defaults", "ru": "↺ По умолчанию"},
    "settings.button.article": {"en": "📖 Article 2-2-1", "ru": "📖 Сеть из статьи"},
    "settings.error.syntax": {
        "en": "I don't understand “{token}”. Write settings as key=value, "
        "e.g. <code>/settings lr=0.5 hidden=4</code>.",
        "ru": "Не понимаю «{token}». Пишите настройки как ключ=значение, "
        "например <code>/settings lr=0.5 hidden=4</code>.",
    },
    "settings.error.unknown_key": {
        "en": "There is no setting “{name}”. Known ones: {keys}.",
        "ru": "Настройки «{name}» нет. Есть такие: {keys}.",
    },
    "settings.error.choice": {
        "en": "“{value}” is not a valid {name}. Choose one of: {allowed}.",
        "ru": "«{value}» не подходит для {name}. Можно: {allowed}.",
    },
    "settings.error.range": {
        "en": "{name} must be a number from {low} to {high} (you wrote “{value}”).",
        "ru": "{name} должно быть числом от {low} до {high} (вы написали «{value}»).",
    },
    "settings.error.hidden": {
        "en": "Hidden layers are sizes separated by commas, e.g. <code>hidden=8,4</code>, each "
        "from 1 to {limit}; <code>hidden=none</code> for a single neuron. You wrote “{value}”.",
        "ru": "Скрытые слои — размеры через запятую, например <code>hidden=8,4</code>, каждый "
        "от 1 до {limit}; <code>hidden=none</code> — один нейрон. Вы написали «{value}».",
    },
    "settings.error.limit_epochs": {
        "en": "{value} epochs is over this bot's limit of {limit}.",
        "ru": "Эпох: {value} — больше, чем позволяет этот бот (не больше {limit}).",
    },
    "settings.error.limit_layers": {
        "en": "{value} hidden layers is over this bot's limit of {limit}.",
        "ru": "Скрытых слоёв: {value} — больше предела этого бота ({limit}).",
    },
    "settings.error.limit_units": {
        "en": "{value} neurons in one layer is over this bot's limit of {limit}.",
        "ru": "Нейронов в слое: {value} — больше предела этого бота ({limit}).",
    },
    "settings.error.limit_parameters": {
        "en": "This network would have {value} weights and biases; this bot's limit is {limit}. "
        "Use fewer or smaller hidden layers.",
        "ru": "Весов и смещений в такой сети было бы {value}, а предел этого бота — {limit}. "
        "Уменьшите скрытые слои.",
    },
    "settings.error.loss_task": {
        "en": "The loss {loss} does not fit this table ({task}); use {allowed} or loss=auto.",
        "ru": "Функция потерь {loss} не подходит к этой таблице ({task}); выберите {allowed} "
        "или <code>loss=auto</code>.",
    },
    # --- /train, progress, the end -------------------------------------------------------------
    "train.error.no_table": {
        "en": "First send me a table (or pick one in /examples), then /train.",
        "ru": "Сначала пришлите таблицу (или выберите в /examples), потом /train.",
    },
    "train.error.busy": {
        "en": "A training is already running in this chat. Wait for it or /stop it.",
        "ru": "В этом чате уже идёт обучение. Дождитесь его или остановите: /stop.",
    },
    "train.error.queue_full": {
        "en": "The bot is busy with other trainings ({running} running, {queued} waiting). "
        "Please try again in a minute.",
        "ru": "Бот занят другими обучениями (идут: {running}, ждут: {queued}). "
        "Попробуйте через минуту.",
    },
    "train.error.table_during_training": {
        "en": "A training is running on your current table. Wait for it or /stop it, "
        "then send the new table.",
        "ru": "Сейчас идёт обучение на текущей таблице. Дождитесь его или нажмите /stop, "
        "потом пришлите новую таблицу.",
    },
    "train.error.table_changed": {
        "en": "The table changed while training ran, so that network was not kept. /train again.",
        "ru": "Таблица поменялась во время обучения, поэтому ту сеть я не сохранил. "
        "Запустите /train ещё раз.",
    },
    "train.error.failed": {
        "en": "Sorry, the training failed on my side. Try again, or change the /settings.",
        "ru": "Извините, обучение сломалось на моей стороне. Попробуйте ещё раз или "
        "измените /settings.",
    },
    "train.error.crashed": {
        "en": "The training process stopped unexpectedly. Try again, perhaps with a smaller "
        "network or fewer epochs.",
        "ru": "Процесс обучения неожиданно завершился. Попробуйте ещё раз, возможно с "
        "меньшей сетью или меньшим числом эпох.",
    },
    "train.error.killed": {
        "en": "The training went over the time limit ({limit} s) and had to be ended; the "
        "network was not kept. Try fewer epochs.",
        "ru": "Обучение превысило лимит времени ({limit} с) и было прервано; сеть не "
        "сохранилась. Уменьшите число эпох.",
    },
    "train.error.shutdown": {
        "en": "The bot is restarting, so your training was interrupted. Send /train again in "
        "a minute.",
        "ru": "Бот перезапускается, поэтому обучение прервано. Отправьте /train ещё раз "
        "через минуту.",
    },
    "train.interrupted": {
        "en": "The bot restarted while your training was running. {kept}Send /train to train "
        "again.",
        "ru": "Бот перезапустился во время вашего обучения. {kept}Отправьте /train, чтобы "
        "обучить заново.",
    },
    "train.interrupted.kept": {
        "en": "The network learned up to that moment is kept. ",
        "ru": "Сеть, выученная до этого момента, сохранена. ",
    },
    "train.queued": {
        "en": "⏳ Your training is number {position} in line; it starts as soon as a worker is "
        "free.",
        "ru": "⏳ Ваше обучение {position}-е в очереди; оно начнётся, как только освободится "
        "обработчик.",
    },
    "train.cancelled_queued": {
        "en": "Your waiting training was cancelled.",
        "ru": "Ожидавшее обучение отменено.",
    },
    "train.starting": {
        "en": "🚀 Training {shape} on {rows} rows…",
        "ru": "🚀 Обучаю {shape}, строк в таблице: {rows}…",
    },
    "train.progress": {
        "en": "<b>Training</b> {shape}\n<code>{bar}</code> {percent}%\n"
        "epoch {epoch} of {epochs} · loss <b>{loss}</b>{val}\n⏱ {elapsed} · left ≈ {eta}",
        "ru": "<b>Обучение</b> {shape}\n<code>{bar}</code> {percent}%\n"
        "эпоха {epoch} из {epochs} · потери <b>{loss}</b>{val}\n⏱ {elapsed} · осталось ≈ {eta}",
    },
    "train.progress.val": {"en": " · validation {value}", "ru": " · проверка {value}"},
    "train.button.stop": {"en": "⏹ Stop", "ru": "⏹ Стоп"},
    "train.stop.none": {
        "en": "Nothing is training right now.",
        "ru": "Сейчас ничего не обучается.",
    },
    "train.stop.requested": {
        "en": "Stopping… the network learned so far will be kept.",
        "ru": "Останавливаю… выученное до этого момента сохранится.",
    },
    "train.end.done": {
        "en": "✅ <b>Trained</b> {shape}: {epochs} in {elapsed}.",
        "ru": "✅ <b>Обучено</b> {shape}: {epochs} за {elapsed}.",
    },
    "train.end.stopped": {
        "en": "⏹ <b>Stopped</b> after {epochs} of {total} ({elapsed}); the network "
        "learned so far is kept.",
        "ru": "⏹ <b>Остановлено</b>: {epochs} из {total} ({elapsed}); выученное сохранено.",
    },
    "train.end.timeout": {
        "en": "⏰ <b>Time limit</b> of {limit} s reached after {epochs} of {total}; the "
        "network learned so far is kept. Fewer epochs or a larger lr finish sooner.",
        "ru": "⏰ <b>Лимит времени</b> {limit} с исчерпан: {epochs} из {total}; "
        "выученное сохранено. Меньше эпох или большая скорость обучения <code>lr</code> — быстрее.",
    },
    "train.end.diverged": {
        "en": "💥 <b>Diverged</b> at epoch {at} of {total}: with lr={lr} every step overshot, "
        "the weights grew without bound and the loss stopped being a number (inf/nan).",
        "ru": "💥 <b>Обучение разошлось</b> на эпохе {at} из {total}: при <code>lr={lr}</code> "
        "каждый шаг перескакивал минимум, веса росли без предела, и ошибка (функция потерь) "
        "перестала быть числом.",
    },
    "train.end.diverged_kept": {
        "en": "Kept: the network after epoch {epoch}, the last one with finite numbers.",
        "ru": "Сохранена сеть после эпохи {epoch} — последней, где все числа конечны.",
    },
    "train.end.diverged_none": {
        "en": "Nothing from this training is kept: even its last weights with finite numbers "
        "give a loss too large to compute. Your previous network, if you had one, stays.",
        "ru": "Из этого обучения ничего не сохранено: даже последние веса с конечными числами "
        "дают ошибку, которую уже не вычислить. Прежняя сеть, если была, остаётся.",
    },
    "train.end.diverged_advice": {
        "en": "What to do: a smaller learning rate — <code>/settings lr={lr}</code>, then "
        "/train. I tried it here: it stayed finite up to epoch {tried}.",
        "ru": "Что делать: уменьшите скорость обучения — <code>/settings lr={lr}</code>, затем "
        "/train. Я проверил это значение: обучение дошло до эпохи {tried} без расхождения.",
    },
    "train.end.diverged_hint": {
        "en": "What to do: a learning rate 10 to 100 times smaller (<code>/settings lr=…</code>), "
        "then /train.",
        "ru": "Что делать: уменьшите скорость обучения в 10–100 раз (<code>/settings lr=…</code>), "
        "затем /train.",
    },
    "train.end.diverged_scale": {
        "en": "Your inputs are not scaled (scale=none): large input values make steps large too; "
        "<code>/settings scale=on</code> standardises them.",
        "ru": "Входы не масштабируются (<code>scale=none</code>): большие значения входов делают "
        "шаги большими; <code>/settings scale=on</code> приводит их к стандартному виду.",
    },
    "train.end.forgotten": {
        "en": "⏹ Training stopped: the chat was reset.",
        "ru": "⏹ Обучение остановлено: чат сброшен.",
    },
    "train.summary.loss": {
        "en": "Final loss ({loss_name}) of the trained network on the whole table: <b>{loss}</b>",
        "ru": "Итоговое значение функции потерь ({loss_name}) на всей таблице: <b>{loss}</b>",
    },
    "train.summary.accuracy": {
        "en": "Correct answers on the table: <b>{percent}%</b>",
        "ru": "Верных ответов на таблице: <b>{percent}%</b>",
    },
    "train.summary.unsure": {
        "en": " — but unsure for {rows} of {total}",
        "ru": " — но сеть не уверена в ответе: {rows} из {total}",
    },
    "train.summary.rows": {
        "en": "<b>Predictions vs targets:</b>",
        "ru": "<b>Предсказания и правильные ответы:</b>",
    },
    "train.summary.row": {
        "en": "{inputs} → <b>{prediction}</b> (target {target}) {mark}",
        "ru": "{inputs} → <b>{prediction}</b> (нужно {target}) {mark}",
    },
    "train.summary.more_rows": {
        "en": "… plus {count}.",
        "ru": "… и ещё {count}.",
    },
    "train.summary.questions": {
        "en": "<b>Answers to your questions:</b>",
        "ru": "<b>Ответы на ваши вопросы:</b>",
    },
    "train.summary.question": {
        "en": "{inputs} → <b>{prediction}</b>{confidence}",
        "ru": "{inputs} → <b>{prediction}</b>{confidence}",
    },
    "train.summary.val_loss": {
        "en": "On the validation rows alone (not learned from): <b>{loss}</b>, against {train} "
        "on the training rows.",
        "ru": "Только на проверочных строках (на них сеть не училась): <b>{loss}</b>, а на "
        "обучающих — {train}.",
    },
    "train.summary.val_higher": {
        "en": "Much higher on the rows it never saw: this is overfitting — the network learned "
        "the rows, not the rule.",
        "ru": "На строках, которых сеть не видела, намного больше: это переобучение — сеть "
        "запомнила строки, а не правило.",
    },
    "train.summary.val_close": {
        "en": "Not much higher on the rows it never saw: no sign of overfitting (overfitting "
        "would show as a much higher loss there).",
        "ru": "На строках, которых сеть не видела, ненамного больше: признаков переобучения "
        "нет (переобучение показало бы там намного большую потерю).",
    },
    "train.summary.next": {
        "en": "Next: /predict {example} · /explain 1 · /plot · /net · /boundary · /weights",
        "ru": "Дальше: /predict {example} · /explain 1 · /plot · /net · /boundary · /weights",
    },
    # --- /plot, /net, /boundary, /weights ---------------------------------------------------
    "train.error.no_model": {
        "en": "There is no trained network yet: send a table and /train first.",
        "ru": "Обученной сети пока нет: пришлите таблицу и запустите /train.",
    },
    "train.error.model_broken": {
        "en": "The saved network holds numbers that are not finite (inf/nan, left by a training "
        "that diverged), so I cannot use it. Send /train again; if it diverges, the message "
        "says which smaller lr to set.",
        "ru": "В сохранённой сети есть бесконечные числа (след разошедшегося "
        "обучения), поэтому пользоваться ею нельзя. Запустите /train заново; если обучение "
        "разойдётся, я подскажу, какую скорость обучения <code>lr</code> поставить.",
    },
    "train.plot.title": {"en": "How the loss fell", "ru": "Как убывала функция потерь"},
    "train.plot.epoch": {"en": "epoch", "ru": "эпоха"},
    "train.plot.loss": {"en": "loss", "ru": "потери"},
    "train.plot.loss_log": {"en": "loss (log scale)", "ru": "потери (лог. шкала)"},
    "train.plot.train": {
        "en": "training (final, whole table: {value})",
        "ru": "обучение (итог на всей таблице: {value})",
    },
    "train.plot.validation": {"en": "validation: {value}", "ru": "проверка: {value}"},
    "train.plot.caption": {
        "en": "The loss after each epoch: the lower, the closer the answers are to the targets.",
        "ru": "Функция потерь (ошибка сети) после каждой эпохи: чем ниже, тем ближе ответы к "
        "правильным.",
    },
    "train.net.title": {"en": "Your network", "ru": "Ваша сеть"},
    "train.net.inputs": {"en": "inputs", "ru": "входы"},
    "train.net.count": {"en": "{count} neurons", "ru": "нейронов: {count}"},
    "train.net.positive": {"en": "positive weight", "ru": "положительный вес"},
    "train.net.negative": {"en": "negative weight", "ru": "отрицательный вес"},
    "train.net.caption": {
        "en": "Thicker line = larger weight. The number inside a neuron is its bias.",
        "ru": "Чем толще линия, тем больше вес. Число внутри нейрона — его смещение.",
    },
    "train.boundary.title": {"en": "What the network answers", "ru": "Что отвечает сеть"},
    "train.boundary.questions": {"en": "your questions", "ru": "ваши вопросы"},
    "train.boundary.caption": {
        "en": "Each colour is the network's answer for that point of the plane, the paler the "
        "less sure (white: a coin toss); dots are your rows.",
        "ru": "Цвет показывает ответ сети в каждой точке плоскости: чем бледнее, тем меньше "
        "уверенность (белый — как подбросить монету); кружки — ваши строки.",
    },
    "train.boundary.not_two": {
        "en": "A decision-region picture needs exactly 2 inputs (they become the x and y axes of "
        "a flat picture); this table has {count}. Try /examples → XOR or weight/height.",
        "ru": "Для картинки областей решений нужно ровно 2 входа (они станут осями x и y "
        "плоской картинки), а в этой таблице их {count}. Попробуйте /examples → XOR или "
        "вес/рост.",
    },
    "train.boundary.several_targets": {
        "en": "A decision-region picture shows one answer per point; this table has {count} "
        "target columns. Keep one target column to draw it.",
        "ru": "Картинка областей показывает один ответ в каждой точке, а в этой таблице "
        "столбцов ответов — {count}. Оставьте один, чтобы её нарисовать.",
    },
    "train.weights.caption": {
        "en": 'Your trained network as an nncore file: <code>nncore.load("{name}")</code>.',
        "ru": 'Обученная сеть в формате nncore: <code>nncore.load("{name}")</code>.',
    },
    "train.weights.json_caption": {
        "en": "The same network as readable JSON (layers, weights, biases).",
        "ru": "Та же сеть в читаемом JSON (слои, веса, смещения).",
    },
}

MESSAGES.update(
    {
        "answer.unsure": {"en": "unsure", "ru": "не уверена"},
        "answer.guess": {"en": "close to a coin toss", "ru": "почти как подбросить монету"},
        "answer.sure": {"en": "sure at {percent}", "ru": "уверенность {percent}"},
        "answer.detail_yhat": {"en": " (ŷ = {value}; {sure})", "ru": " (ŷ = {value}; {sure})"},
        "answer.detail": {"en": " ({sure})", "ru": " ({sure})"},
        "train.summary.class_one": {
            "en": "ŷ is the network's probability that {target} = {one} (class 1); below 0.5 it "
            "answers {zero}.",
            "ru": "ŷ — вероятность (по мнению сети), что {target} = {one} (класс 1); ниже 0.5 "
            "сеть отвечает {zero}.",
        },
    }
)

MESSAGES.update(
    {
        "train.summary.memorise": {
            "en": "ℹ️ The network has {params} for a table of {rows}: it can simply learn the "
            "rows by heart (memorise them), so its loss on these rows ({loss}) says little about "
            "new rows. More "
            "rows show whether it learned the rule.",
            "ru": "ℹ️ В сети {params}, а в таблице {rows}: сеть может просто запомнить строки "
            "наизусть (это переобучение), так что её потеря на этих строках ({loss}) мало "
            "говорит о новых строках. Больше строк покажет, выучила ли она правило.",
        },
        "table.predict.range": {
            "en": "{name} is from {low} to {high}",
            "ru": "{name} от {low} до {high}",
        },
        "table.predict.constant": {"en": "{name} is always {low}", "ru": "{name} всегда {low}"},
        "table.predict.extrapolating": {
            "en": "⚠️ Outside the table, where {ranges}. Beyond the rows it learned from, the "
            "network extrapolates, and such answers are guesses.",
            "ru": "⚠️ Это за пределами таблицы: в ней {ranges}. Там, где строк не было, сеть "
            "экстраполирует, и такие ответы — догадки.",
        },
    }
)

MESSAGES.update(
    {
        "train.net.layer.input": {"en": "input layer ({count})", "ru": "входной слой ({count})"},
        "train.net.layer.hidden": {
            "en": "hidden layer {index} ({activation}, {count})",
            "ru": "скрытый слой {index} ({activation}, {count})",
        },
        "train.net.layer.output": {
            "en": "output layer ({activation}, {count})",
            "ru": "выходной слой ({activation}, {count})",
        },
        "train.net.bias": {"en": "bias", "ru": "смещение"},
        "train.net.heatmap_title": {
            "en": "Your network's weights, layer by layer (blue +, red −)",
            "ru": "Веса вашей сети по слоям (синий +, красный −)",
        },
    }
)

MESSAGES.update(
    {
        "train.net.heatmap_caption": {
            "en": "Too many neurons for readable lines: each square is one weight, from the "
            "neuron on the left to the one below; blue positive, red negative, the stronger the "
            "colour the larger. The last row of each layer holds its biases.",
            "ru": "Нейронов слишком много для читаемых линий: каждый квадрат — один вес, от "
            "нейрона слева к нейрону снизу; синий — положительный, красный — отрицательный, "
            "чем ярче, тем больше. Последняя строка каждого слоя — смещения.",
        },
    }
)
