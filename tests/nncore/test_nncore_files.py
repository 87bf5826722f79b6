"""Model files: round trips, and every kind of bad file is refused with ModelFileError."""

import io
import json
import pickle
import zipfile

import numpy as np
import pytest

import nncore as nn
from nncore import io as nncore_io


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


def forged_npz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def npy_header(shape: tuple[int, ...]) -> bytes:
    """An .npy header declaring `shape` float32, with no data behind it."""
    buffer = io.BytesIO()
    header = {"descr": "<f4", "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return b"\x93NUMPY\x01\x00" + buffer.getvalue()[8:]


def test_a_file_declaring_a_huge_matrix_is_refused_before_it_is_read():
    good = nn.Sequential([nn.Dense(2, 1)]).to_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        record = archive.read("architecture.npy")
    data = forged_npz({"architecture.npy": record, "layer0.W.npy": npy_header((20000, 20000))})
    assert len(data) < 2000
    with pytest.raises(nn.ModelFileError, match="too large"):
        nn.from_bytes(data)


def test_the_size_limit_counts_every_array_and_can_be_raised():
    model = nn.Sequential([nn.Dense(30, 30)])  # 930 numbers
    assert nncore_io.read(model.to_bytes(), max_values=930)[1]["layer0.W"].shape == (30, 30)
    with pytest.raises(nn.ModelFileError, match="too large"):
        nncore_io.read(model.to_bytes(), max_values=929)


def test_a_deeply_nested_architecture_record_is_a_model_file_error():
    record = np.frombuffer(("[" * 100_000 + "]" * 100_000).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, architecture=record)
    with pytest.raises(nn.ModelFileError, match="nested too deeply"):
        nn.from_bytes(buffer.getvalue())
