"""Words that follow a count, with their plural forms: "one|few|many" in Russian, "one|other"
in English (see `bot.i18n.plural`)."""

MESSAGES = {
    "word.epoch": {"en": "epoch|epochs", "ru": "эпоха|эпохи|эпох"},
    "word.row": {"en": "row|rows", "ru": "строка|строки|строк"},
    "word.neuron": {"en": "neuron|neurons", "ru": "нейрон|нейрона|нейронов"},
    "word.parameter": {
        "en": "parameter (weight or bias)|parameters (weights and biases)",
        "ru": "параметр (вес или смещение)|параметра (веса и смещения)|параметров (весов и "
        "смещений)",
    },
    "word.input": {"en": "input|inputs", "ru": "вход|входа|входов"},
    "word.input_value": {
        "en": "input value|input values",
        "ru": "входное значение|входных значения|входных значений",
    },
    "word.value": {"en": "value|values", "ru": "значение|значения|значений"},
    "word.target": {"en": "target|targets", "ru": "ответ|ответа|ответов"},
    "word.layer": {"en": "layer|layers", "ru": "слой|слоя|слоёв"},
    "word.hidden_layer": {
        "en": "hidden layer|hidden layers",
        "ru": "скрытый слой|скрытых слоя|скрытых слоёв",
    },
    "word.question": {"en": "question|questions", "ru": "вопрос|вопроса|вопросов"},
    "word.class": {"en": "class|classes", "ru": "класс|класса|классов"},
    "word.column": {"en": "column|columns", "ru": "столбец|столбца|столбцов"},
    "word.step": {"en": "step|steps", "ru": "шаг|шага|шагов"},
    "word.example": {"en": "example|examples", "ru": "пример|примера|примеров"},
}
