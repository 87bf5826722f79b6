"""`nnbot digits` (bot.digits.cli): output formats, stages, evaluation, exit status."""

from __future__ import annotations

import re

import numpy as np

from bot import cli
from bot.digits import vision
from tests.bot.digits.helpers import five_in_two_pieces, png, sheet
from tests.support import synthetic_paper as paper
from tests.support import synthetic_photos as sp


def photo_file(tmp_path, name: str, digit: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    path = tmp_path / name
    path.write_bytes(sp.random_digit_photo(None, digit, rng, stroke="normal", orientation=1))
    return path


def test_one_line_per_image_with_digit_and_three_decimals(tmp_path, capsys):
    paths = [photo_file(tmp_path, f"d{d}.jpg", d, seed=d) for d in (1, 4)]
    assert cli.main(["digits", *map(str, paths)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for path, line in zip(paths, lines, strict=True):
        name, digit, confidence = line.split("\t")
        assert name == str(path) and re.fullmatch(r"\d", digit)
        assert re.fullmatch(r"[01]\.\d{3}", confidence) and 0 <= float(confidence) <= 1


def test_number_mode_prints_digits_and_confidences(tmp_path, capsys):
    rng = np.random.default_rng(2)
    path = tmp_path / "n.jpg"
    path.write_bytes(sp.random_number_photo([None] * 3, [5, 1, 9], rng, stroke="normal", gap=0.4))
    assert cli.main(["digits", "--number", str(path)]) == 0
    name, text, confidences = capsys.readouterr().out.strip().split("\t")
    assert name == str(path) and re.fullmatch(r"\d{3}", text)
    assert re.fullmatch(r"[01]\.\d{3}(,[01]\.\d{3}){2}", confidences)


def test_a_bad_file_gets_an_error_line_and_the_others_still_go_through(tmp_path, capsys):
    good = photo_file(tmp_path, "good.jpg", 7)
    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    missing = tmp_path / "missing.png"
    status = cli.main(["digits", str(text), str(good), str(missing)])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.startswith(f"{good}\t")
    errors = err.strip().splitlines()
    assert errors[0].startswith(f"{text}\terror\t") and "not an image" in errors[0]
    assert errors[1].startswith(f"{missing}\terror\t")


def test_stages_are_saved_as_png(tmp_path, capsys):
    path = photo_file(tmp_path, "three.jpg", 3)
    out_dir = tmp_path / "stages"
    assert cli.main(["digits", "--stages", str(out_dir), str(path)]) == 0
    saved = sorted(p.name for p in out_dir.glob("*.png"))
    assert saved[0] == "three_01_grey.png" and saved[-1] == "three_07_input.png"
    assert len(saved) == 7


def test_evaluate_ends_with_the_accuracy_line(tmp_path, capsys):
    rng = np.random.default_rng(0)
    glyphs = []
    labels = []
    for d in range(10):
        glyph = sp.stroke_glyph(d, 60, 6, rng)
        data = sp.photo([glyph], rng, size=(200, 200), blur=0, quality=95, orientation=1)
        glyphs.append(np.round(vision.prepare_digit(data).image28 * 255).astype(np.uint8))
        labels.append(d)
    npz = tmp_path / "small.npz"
    np.savez(npz, x_test=np.stack(glyphs), y_test=np.array(labels, np.uint8))
    assert cli.main(["digits", "--evaluate", str(npz)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"accuracy [01]\.\d{4}", last)


def test_no_arguments_is_a_usage_error(capsys):
    assert cli.main(["digits"]) == 2


def test_number_mode_separates_lines_of_writing_by_a_space(tmp_path, capsys):
    rng = np.random.default_rng(6)
    placed = []
    for i, row in enumerate([[1, 2, 3], [4, 5]]):
        for j, d in enumerate(row):
            placed.append((sp.stroke_glyph(d, 120, 8, rng), 300 + 130 * j, 120 + 260 * i))
    path = tmp_path / "lines.jpg"
    path.write_bytes(paper.page(placed, rng, blur=0.5))
    assert cli.main(["digits", "--number", str(path)]) == 0
    _, text, confidences = capsys.readouterr().out.strip().split("\t")
    assert re.fullmatch(r"\d{3} \d{2}", text) and len(confidences.split(",")) == 5


def test_number_mode_answers_as_the_bot_a_digit_in_pieces_is_one_digit(tmp_path, capsys):
    path = tmp_path / "five.png"
    path.write_bytes(png(sheet(five_in_two_pieces)))
    assert cli.main(["digits", "--number", str(path)]) == 0
    _, text, confidences = capsys.readouterr().out.strip().split("\t")
    assert text == "5" and len(confidences.split(",")) == 1
