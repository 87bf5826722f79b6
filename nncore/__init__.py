"""nncore: a small neural-network library in pure NumPy, written to be read.

    import nncore as nn
    model = nn.Sequential([nn.Dense(2, 4, rng=0), nn.Tanh(), nn.Dense(4, 1, rng=1), nn.Sigmoid()])
    history = model.fit(X, y, nn.BinaryCrossEntropy(), nn.Adam(0.05), epochs=200, seed=0)

Modules, each readable top to bottom, in the order they import one another:
parallel (threads for big batches: NNCORE_THREADS or set_threads), init (starting weights),
layers (Dense, Flatten, Dropout), activations (each with its slope), conv (Conv2D, MaxPool2D),
losses, optim (SGD, Adam), progress (Progress, History), callbacks (EarlyStopping),
io (the model file format), architecture (layers ↔ their description), model (Sequential, fit,
save and load), gradcheck, explain (worked chain-rule traces), classic (the article's examples),
separability (how far one straight line goes), datasets (MNIST and USPS readers).
Not a general autograd and no GPU: layers in a row, NumPy on the CPU.
"""

from nncore import classic
from nncore.activations import (
    Activation,
    LeakyReLU,
    Linear,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    sigmoid,
    softmax,
)
from nncore.callbacks import EarlyStopping
from nncore.conv import Conv2D, MaxPool2D
from nncore.explain import Factor, NeuronStep, ParamStep, Trace, explain
from nncore.gradcheck import GradcheckResult, gradcheck
from nncore.io import ModelFileError
from nncore.layers import Dense, Dropout, Flatten, Layer
from nncore.losses import MSE, BinaryCrossEntropy, Loss, SoftmaxCrossEntropy
from nncore.model import Sequential, from_bytes, load
from nncore.optim import SGD, Adam, Optimizer
from nncore.parallel import set_threads, threads
from nncore.progress import History, Progress
from nncore.separability import linear_separability

__all__ = [
    "MSE",
    "SGD",
    "Activation",
    "Adam",
    "BinaryCrossEntropy",
    "Conv2D",
    "Dense",
    "Dropout",
    "EarlyStopping",
    "Factor",
    "Flatten",
    "GradcheckResult",
    "History",
    "Layer",
    "LeakyReLU",
    "Linear",
    "Loss",
    "MaxPool2D",
    "ModelFileError",
    "NeuronStep",
    "Optimizer",
    "ParamStep",
    "Progress",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "SoftmaxCrossEntropy",
    "Tanh",
    "Trace",
    "classic",
    "explain",
    "from_bytes",
    "gradcheck",
    "linear_separability",
    "load",
    "set_threads",
    "sigmoid",
    "softmax",
    "threads",
]
