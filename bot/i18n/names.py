"""The names of the choices a learner sees on buttons and in explanations: activation
functions, optimizers, starts (init), losses' short names. In English they are the values the
learner types; in Russian they are the usual Russian terms (the value typed stays in <code>)."""

MESSAGES = {
    "name.activation.sigmoid": {"en": "sigmoid", "ru": "сигмоида"},
    "name.activation.tanh": {"en": "tanh", "ru": "гиперболический тангенс"},
    "name.activation.relu": {"en": "relu", "ru": "ReLU"},
    "name.activation.leaky_relu": {"en": "leaky_relu", "ru": "ReLU с утечкой"},
    "name.activation.softmax": {"en": "softmax", "ru": "софтмакс"},
    "name.activation.linear": {"en": "linear", "ru": "линейная"},
    "name.optimizer.sgd": {"en": "sgd", "ru": "градиентный спуск"},
    "name.optimizer.momentum": {"en": "momentum", "ru": "спуск с моментом"},
    "name.optimizer.adam": {"en": "adam", "ru": "Adam"},
    "name.init.auto": {"en": "auto", "ru": "автовыбор"},
    "name.init.article": {"en": "article", "ru": "как в статье"},
    "name.init.textbook": {"en": "textbook", "ru": "все веса 1"},
    "name.init.normal": {"en": "normal", "ru": "нормальное"},
    "name.init.legacy": {"en": "legacy", "ru": "старт статьи"},
    "name.init.he": {"en": "he", "ru": "по Хе"},
    "name.init.glorot": {"en": "glorot", "ru": "по Глоро"},
    "name.init.lecun": {"en": "lecun", "ru": "по Лекуну"},
    "name.init.uniform": {"en": "uniform", "ru": "равномерное"},
}
