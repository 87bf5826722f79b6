"""Model files: round trips, and every kind of bad file is refused with ModelFileError."""

import io
import json
import pickle

import numpy as np
import pytest

import nncore as nn


def small_cnn() -> nn.Sequential:
    return nn.Sequential(
        [
            nn.Conv2D(1, 2, 3, padding=1, rng=0),
            nn.ReLU(),
            nn.MaxPool2D(2),
            nn.Flatten(),
            nn.Dropout(0.1),
            nn.Dense(2 * 3 * 3, 3, rng=1),
            nn.LeakyReLU(0.2),
            nn.Dense(3, 2, rng=2),
            nn.Softmax(),
        ]
    )


def images(n=5):
    return np.random.default_rng(0).random((n, 1, 7, 7))


def test_save_and_load_give_identical_predictions(tmp_path):
    model = small_cnn()
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = nn.load(path)
    np.testing.assert_array_equal(loaded.predict(images()), model.predict(images()))
    assert repr(loaded) == repr(model) and loaded.dtype == np.float32


def test_bytes_file_objects_and_dicts_round_trip():
    model = nn.Sequential(
        [nn.Dense(2, 3, rng=0), nn.Sigmoid(), nn.Dense(3, 1, rng=1), nn.Tanh()], dtype="float64"
    )
    x = np.array([[0.5, -1.0], [2.0, 3.0]])
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    for copy in (
        nn.from_bytes(model.to_bytes()),
        nn.load(buffer),
        nn.Sequential.from_dict(json.loads(json.dumps(model.to_dict()))),
    ):
        assert copy.dtype == np.float64
        np.testing.assert_array_equal(copy.predict(x), model.predict(x))


def npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def arrays_of(model):
    with np.load(io.BytesIO(model.to_bytes())) as archive:
        return {name: archive[name] for name in archive.files}


def with_architecture(arrays, **changes):
    arch = json.loads(arrays["architecture"].tobytes())
    arch.update(changes)
    return {**arrays, "architecture": np.frombuffer(json.dumps(arch).encode(), np.uint8)}


def bad_files():
    good = arrays_of(small_cnn())
    full = small_cnn().to_bytes()
    arch = json.loads(good["architecture"].tobytes())
    unknown = [dict(entry) for entry in arch["layers"]]
    unknown[1] = {"type": "os.system", "config": {}}
    silly = [dict(entry) for entry in arch["layers"]]
    silly[0] = {"type": "Conv2D", "config": {"c_in": 1, "c_out": -2, "kernel": 3}}
    nan = dict(good)
    nan["layer0.W"] = np.full_like(good["layer0.W"], np.nan)
    plain, pickled = io.BytesIO(), io.BytesIO()
    np.save(plain, np.ones(3))
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    return {
        "empty": b"",
        "text": b"hello, this is not a model",
        "pickle": pickle.dumps({"W": [1, 2]}),
        "npy with objects": pickled.getvalue(),
        "plain npy": plain.getvalue(),
        "truncated": full[: len(full) // 2],
        "no architecture": npz_bytes(**{k: v for k, v in good.items() if k != "architecture"}),
        "architecture not json": npz_bytes(
            **{**good, "architecture": np.frombuffer(b"{", np.uint8)}
        ),
        "architecture as text": npz_bytes(**{**good, "architecture": np.array("{}")}),
        "wrong format": npz_bytes(**with_architecture(good, format="keras")),
        "future version": npz_bytes(**with_architecture(good, version=99)),
        "bad dtype": npz_bytes(**with_architecture(good, dtype="int8")),
        "unknown layer": npz_bytes(**with_architecture(good, layers=unknown)),
        "bad layer arguments": npz_bytes(**with_architecture(good, layers=silly)),
        "missing weight": npz_bytes(**{k: v for k, v in good.items() if k != "layer5.b"}),
        "wrong shape": npz_bytes(**{**good, "layer5.W": np.zeros((4, 3))}),
        "extra array": npz_bytes(**good, surprise=np.zeros(2)),
        "nan weights": npz_bytes(**nan),
        "integer weights": npz_bytes(**{**good, "layer0.b": np.zeros(2, dtype=np.int64)}),
    }


@pytest.mark.parametrize(("name", "data"), list(bad_files().items()))
def test_malformed_model_files_are_rejected_with_a_clear_error(name, data):
    with pytest.raises(nn.ModelFileError) as error:
        nn.from_bytes(data)
    assert str(error.value)


def test_a_mismatched_dict_is_rejected():
    d = small_cnn().to_dict()
    d["layers"][5]["params"]["W"] = [[1.0, 2.0]]
    with pytest.raises(nn.ModelFileError, match="shape"):
        nn.Sequential.from_dict(d)


def test_a_missing_path_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "nope.npz")
