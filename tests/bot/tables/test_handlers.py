"""The table handlers in-process: /table, plain text, files, /examples, /predict, /explain."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application
from bot.config import Config
from bot.features import MODULES
from bot.i18n import t
from bot.services import Services
from bot.store import Store
from bot.tables import handlers as tables
from bot.tables.examples import EXAMPLES
from bot.tables.table import Table
from bot.training import settings as training
from bot.training.run import run_training
from tests.support.fakebot import TOKEN, FakeBotApi, FakeJobs, button, message

_ids = iter(range(10_000, 1_000_000))


class FileApi(FakeBotApi):
    """The fake Bot API plus getFile and file downloads from `files` (name → bytes)."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}

    async def do_request(self, url: str, method: str, request_data=None, **kwargs: Any):
        name = url.rsplit("/", 1)[-1]
        if name in self.files:
            return 200, self.files[name]
        if name == "getFile":
            file_id = request_data.parameters["file_id"]
            self.calls.append((name, dict(request_data.parameters)))
            result = {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"documents/{file_id}",
            }
            return 200, json.dumps({"ok": True, "result": result}).encode()
        return await super().do_request(url, method, request_data, **kwargs)


class ActiveJobs(FakeJobs):
    def is_active(self, chat_id: int) -> bool:
        return True


class Bot:
    def __init__(self, app, api: FileApi, store: Store) -> None:
        self.app, self.api, self.store = app, api, store

    async def send(self, update: Update) -> None:
        await self.app.process_update(Update.de_json(update.to_dict(), self.app.bot))

    async def say(self, text: str, lang: str = "en") -> list[str]:
        before = len(self.api.texts())
        await self.send(message(text, lang=lang))
        return self.api.texts()[before:]

    async def press(self, data: str, lang: str = "en") -> list[str]:
        before = len(self.api.texts())
        await self.send(button(data, lang=lang))
        return self.api.texts()[before:]

    async def upload(
        self, data: bytes, file_name: str, mime: str = "text/csv", size: int | None = None
    ) -> list[str]:
        file_id = f"f{next(_ids)}"
        self.api.files[file_id] = data
        update = message("", lang="en").to_dict()
        msg = update["message"]
        del msg["text"]
        msg["document"] = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": file_name,
            "mime_type": mime,
            "file_size": len(data) if size is None else size,
        }
        before = len(self.api.texts())
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.api.texts()[before:]

    def state(self, chat_id: int = 1):
        return self.store.load(chat_id)


@pytest.fixture
async def make_bot(tmp_path):
    made: list[Bot] = []

    async def make(jobs: FakeJobs | None = None, **env: str) -> Bot:
        config = Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "DATA_DIR": str(tmp_path), **env})
        store, api = Store(config.database_path), FileApi()
        app = build_application(config, Services(config, store, jobs or FakeJobs()), request=api)
        if tables not in MODULES:
            tables.register(app)
        await app.initialize()
        made.append(Bot(app, api, store))
        return made[-1]

    yield make
    for bot in made:
        await bot.app.shutdown()
        bot.store.close()


# --- /table and plain text ------------------------------------------------------------------


async def test_table_in_the_same_message_is_read_and_previewed(make_bot):
    bot = await make_bot()
    replies = await bot.say("/table\nx1 x2 | y\n0 0 | 0\n0 1 | 1\n1 0 | 1\n1 1 | ?")
    assert len(replies) == 1
    assert "Table understood" in replies[0]
    assert bot.api.sent()[-1]["parse_mode"] == "HTML"
    state = bot.state()
    assert state.table["X"] == [[0, 0], [0, 1], [1, 0]]
    assert state.table["questions"] == [[1, 1]]


async def test_table_on_the_command_line(make_bot):
    bot = await make_bot()
    replies = await bot.say("/table 1 2 3; 4 5 6")  # one line: not a table
    assert "❌" in replies[0]
    replies = await bot.say("/table 0 0 0\n1 1 1")
    assert "Table understood" in replies[0]


async def test_bare_table_waits_for_the_next_message(make_bot):
    bot = await make_bot()
    replies = await bot.say("/table", lang="ru")
    assert replies == [t("table.ask", "ru")]
    assert bot.state().pending == "table"
    replies = await bot.say("вес рост пол\n1 2 Ж\n3 4 М", lang="ru")
    assert "Таблица принята" in replies[0]
    state = bot.state()
    assert state.pending is None
    assert state.table["classes"] == ["Ж", "М"]


async def test_a_message_that_is_plainly_a_table_is_read(make_bot):
    bot = await make_bot()
    replies = await bot.say("0 0 1 0\n1 1 1 1\n1 0 1 1\n0 1 1 0\n1 0 0 → ?")
    assert "Table understood" in replies[0]
    assert bot.state().table["questions"] == [[1, 0, 0]]


async def test_other_text_gets_a_friendly_hint(make_bot):
    bot = await make_bot()
    replies = await bot.say("hello, what can you do?")
    assert replies == [t("table.hint", "en")]
    assert bot.state().table is None


async def test_a_broken_table_gets_the_line_and_how_to_fix_it(make_bot):
    bot = await make_bot()
    replies = await bot.say("/table\n1 2 3\n4 5 6\n7 8")
    assert "Line 4" in replies[0]
    assert "same length" in replies[0]
    assert bot.state().table is None


async def test_a_new_table_forgets_the_old_network_but_keeps_settings_and_language(make_bot):
    bot = await make_bot()
    state = bot.state()
    state.lang = "ru"
    state.model = b"old network"
    state.history = {"loss": [1.0]}
    state.settings = {"lr": 0.5, "custom": ["lr"], "encoding": {"inputs": None}}
    bot.store.save(state)
    await bot.say("0 0 0\n1 1 1")
    state = bot.state()
    assert state.model is None
    assert state.history is None
    assert state.settings == {"lr": 0.5, "custom": ["lr"]}
    assert state.lang == "ru"
    assert "Таблица принята" in bot.api.texts()[-1]


async def test_no_new_table_while_training_runs(make_bot):
    bot = await make_bot(jobs=ActiveJobs())
    replies = await bot.say("0 0 0\n1 1 1")
    assert replies == [t("train.error.table_during_training", "en")]
    assert bot.state().table is None
    replies = await bot.press("tables:ex:xor")
    assert replies == [t("train.error.table_during_training", "en")]


# --- documents ------------------------------------------------------------------------------


async def test_a_csv_file_is_read(make_bot):
    bot = await make_bot()
    replies = await bot.upload(b"\xef\xbb\xbfa;b;y\r\n1,5;2;0\r\n3;4,5;1\r\n", "data.csv")
    assert "Table understood" in replies[0]
    assert bot.state().table["X"] == [[1.5, 2], [3, 4.5]]


async def test_a_windows_1251_file_is_read(make_bot):
    bot = await make_bot()
    text = "вес\tрост\tпол\n60\t170\tж\n80\t180\tм\n"
    replies = await bot.upload(text.encode("cp1251"), "люди.tsv", "text/tab-separated-values")
    assert "Table understood" in replies[0]
    assert bot.state().table["inputs"] == ["вес", "рост"]


async def test_a_file_over_the_limit_is_refused_before_download(make_bot):
    bot = await make_bot(MAX_FILE_BYTES="1000")
    replies = await bot.upload(b"1 2 3\n", "big.csv", size=5_000_000)
    assert replies == [t("table.file.too_big", "en", size=5000, limit=1)]
    assert bot.api.sent("getFile") == []


async def test_a_file_that_lied_about_its_size_is_refused_after_download(make_bot):
    bot = await make_bot(MAX_FILE_BYTES="1000")
    replies = await bot.upload(b"1 2 3\n" * 400, "big.csv", size=10)
    assert "too big" in replies[0]


async def test_a_binary_file_is_refused(make_bot):
    bot = await make_bot()
    replies = await bot.upload(b"\x00\x01\x02PK", "data.csv")
    assert replies == [t("table.file.unreadable", "en")]


async def test_other_files_get_send_csv_or_a_photo(make_bot):
    bot = await make_bot()
    replies = await bot.upload(b"%PDF-1.4", "paper.pdf", "application/pdf")
    assert replies == [t("table.file.unknown", "en")]


async def test_image_files_go_to_the_digit_reader(make_bot, monkeypatch):
    from bot.digits import handlers as digits

    seen = []

    async def fake_reader(update, context):
        seen.append(update.effective_message.document.file_name)

    monkeypatch.setattr(digits, "handle_image_document", fake_reader)
    bot = await make_bot()
    await bot.upload(b"\x89PNG....", "seven.png", "image/png")
    await bot.upload(b"\xff\xd8\xff", "photo.JPG", "application/octet-stream")
    assert seen == ["seven.png", "photo.JPG"]


# --- /examples --------------------------------------------------------------------------------


async def test_examples_shows_one_button_per_table(make_bot):
    bot = await make_bot()
    await bot.say("/examples")
    markup = bot.api.sent()[-1]["reply_markup"]
    markup = markup if isinstance(markup, dict) else json.loads(markup.to_json())
    data = [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
    assert data == [f"tables:ex:{key}" for key in EXAMPLES]


async def test_choosing_an_example_replaces_table_network_and_settings_keeps_language(make_bot):
    bot = await make_bot()
    state = bot.state()
    state.lang = "ru"
    state.model = b"old"
    state.settings = {"lr": 0.5, "custom": ["lr"]}
    bot.store.save(state)
    replies = await bot.press("tables:ex:gender")
    assert len(replies) == 1
    assert "Алиса" in replies[0]  # the table in the learner's language
    assert "Эмили" in replies[0]
    assert "Таблица принята" in replies[0]
    state = bot.state()
    assert state.lang == "ru"
    assert state.model is None
    assert state.table["names"][0] == "Алиса"
    settings = training.TrainSettings.from_dict(state.settings)
    assert settings.init == "article"
    assert settings.lr == 0.1


async def test_an_unknown_example_button_says_it_is_out_of_date(make_bot):
    bot = await make_bot()
    await bot.press("tables:ex:gone")
    answer = bot.api.sent("answerCallbackQuery")[-1]
    assert answer["text"] == t("table.example.gone", "en")
    assert bot.state().table is None


# --- /explain ---------------------------------------------------------------------------------


async def test_explain_after_the_gender_example_shows_the_articles_numbers(make_bot):
    bot = await make_bot()
    await bot.press("tables:ex:gender")
    replies = await bot.say("/explain")
    text = "\n".join(replies)
    assert "Alice" in text
    assert "= 0.524" in text
    assert "(−0.952) · 0.249 · (−0.0904) = 0.0214" in text
    assert all(len(r) <= 4096 for r in replies)
    assert all(p["parse_mode"] == "HTML" for p in bot.api.sent()[-len(replies) :])


async def test_explain_by_row_name_and_number(make_bot):
    bot = await make_bot()
    await bot.press("tables:ex:gender")
    assert "row 2 (Bob)" in (await bot.say("/explain bob"))[0]
    assert "row 4 (Diana)" in (await bot.say("/explain 4"))[0]
    (refusal,) = await bot.say("/explain 9")
    assert refusal.startswith("❌ There is no row 9: the table has 4 rows.")
    assert "a row number from 1 to 4" in refusal and "Emily" in refusal


async def test_explain_without_a_table(make_bot):
    bot = await make_bot()
    assert await bot.say("/explain") == [t("lesson.no_table", "en")]


# --- /predict ---------------------------------------------------------------------------------


async def train(bot: Bot, key: str) -> None:
    await bot.press(f"tables:ex:{key}")
    state = bot.state()
    table = Table.from_dict(state.table)
    settings = training.settings_for(table, state.settings)
    outcome = run_training(table, settings, lambda _: None, lambda: False)
    state.model = outcome.model_bytes
    state.encoding = outcome.encoding
    bot.store.save(state)


async def test_predict_without_a_table_or_training(make_bot):
    bot = await make_bot()
    assert await bot.say("/predict 1 0") == [t("table.predict.no_table", "en")]
    await bot.press("tables:ex:or")
    assert await bot.say("/predict 1 0") == [t("table.predict.not_trained", "en")]


async def test_predict_answers_rows_with_the_trained_network(make_bot):
    bot = await make_bot()
    await train(bot, "or")
    replies = await bot.say("/predict 0 0; 1 1\n0,1")
    assert len(replies) == 1
    lines = replies[0].split("\n")
    assert lines[1].startswith("<code>0 0</code> → <b>0</b>")
    assert lines[2].startswith("<code>1 1</code> → <b>1</b>")
    assert lines[3].startswith("<code>0 1</code> → <b>1</b>")
    assert "sure at" in lines[1]


async def test_bare_predict_answers_the_question_rows(make_bot):
    bot = await make_bot()
    await train(bot, "neuron")
    replies = await bot.say("/predict")
    assert "<code>1 0 0</code> → <b>1</b>" in replies[0]


async def test_predict_with_the_wrong_number_of_values(make_bot):
    bot = await make_bot()
    await train(bot, "or")
    replies = await bot.say("/predict 1 0 1")
    assert (
        "3 values, but the network takes 2 inputs. Each row needs 2 values, e.g. "
        "<code>/predict 0 0</code>" in replies[0]
    )
    replies = await bot.say("/predict 1 x")
    assert "«x» is not a number" in replies[0]


async def test_predict_multiclass_gives_the_class_name(make_bot):
    bot = await make_bot()
    await train(bot, "colours")
    replies = await bot.say("/predict 1 1; 4.2 1.2; 2.5 4.1")
    assert "→ <b>red</b>" in replies[0]
    assert "→ <b>green</b>" in replies[0]
    assert "→ <b>blue</b>" in replies[0]


def test_commands_have_descriptions_in_both_languages():
    for name in tables.COMMANDS:
        assert t(f"cmd.{name}", "en") != t(f"cmd.{name}", "ru")


async def test_in_a_group_chat_only_tables_get_an_answer(make_bot):
    bot = await make_bot()
    chatter = message("nice weather today", chat_id=-100).to_dict()
    chatter["message"]["chat"]["type"] = "group"
    await bot.app.process_update(Update.de_json(chatter, bot.app.bot))
    assert bot.api.texts() == []
    table = message("0 0 0\n1 1 1", chat_id=-100).to_dict()
    table["message"]["chat"]["type"] = "group"
    await bot.app.process_update(Update.de_json(table, bot.app.bot))
    assert "Table understood" in bot.api.texts()[-1]


async def test_explain_with_a_broken_network_says_so(make_bot):
    bot = await make_bot()
    await bot.press("tables:ex:xor")
    state = bot.state()
    state.model = b"garbage"
    bot.store.save(state)
    assert await bot.say("/explain") == [t("lesson.cannot.network", "en")]
