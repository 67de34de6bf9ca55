"""Settings read once at the edge, from the environment and `.env`; inner code gets explicit values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import NewsdeskError
from index.handle import DEFAULT_PRECISION, IndexConfig
from index.model_files import default_cache_dir
from index.reindex import EMBED_GROUP
from index.store import DEFAULT_PORT

if TYPE_CHECKING:
    from bot.answering.llm import LlmConfig

OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


@dataclass(frozen=True)
class Settings:
    """Every knob newsdesk has; `.env.example` documents each key."""

    corpus_dir: Path
    data_dir: Path
    model_dir: Path
    embed_precision: str = DEFAULT_PRECISION
    chroma_host: str | None = None
    chroma_port: int = DEFAULT_PORT
    chroma_token: str | None = field(default=None, repr=False)
    log_level: str = "WARNING"
    embed_group: int = EMBED_GROUP
    discord_token: str | None = field(default=None, repr=False)
    discord_guild_id: int | None = None
    admin_role: str | None = None
    cooldown_seconds: float = 5.0
    llm: str = "none"
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_timeout: float = 30.0
    context_minutes: float = 15.0  # a conversation idle this long is forgotten: follow-ups start over
    feed_minutes: float = 0.0
    fetch_timeout: float = 20.0
    now: date | None = None  # "this week", "last month"… count from this day instead of today (tests, archives)

    def today(self) -> date:
        """The day question phrases count from: NEWSDESK_NOW when set, else the real date."""
        return self.now or date.today()

    def index_config(self) -> IndexConfig:
        """The part of the settings the index layer needs."""
        return IndexConfig(
            corpus_dir=self.corpus_dir, data_dir=self.data_dir, model_dir=self.model_dir,
            precision=self.embed_precision, chroma_host=self.chroma_host,
            chroma_port=self.chroma_port, chroma_token=self.chroma_token, embed_group=self.embed_group,
        )

    def llm_config(self) -> LlmConfig:
        """The part of the settings the optional LLM prose needs (imported late: --help stays fast)."""
        from bot.answering.llm import LlmConfig

        return LlmConfig(self.llm, self.llm_model, self.llm_base_url, self.llm_api_key, self.llm_timeout)


def load_settings(environ: Mapping[str, str] | None = None, use_dotenv: bool = True) -> Settings:
    """Read settings from `.env` (current directory) and the environment; the environment wins."""
    if use_dotenv and environ is None:
        from dotenv import find_dotenv, load_dotenv

        load_dotenv(find_dotenv(usecwd=True), override=False)
    env = os.environ if environ is None else environ
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    return Settings(
        corpus_dir=path_setting(env, "NEWSDESK_CORPUS_DIR", "corpus"),
        data_dir=path_setting(env, "NEWSDESK_DATA_DIR", ".newsdesk"),
        model_dir=path_setting(env, "NEWSDESK_MODEL_DIR", str(default_cache_dir())),
        embed_precision=text_setting(env, "NEWSDESK_EMBED_PRECISION") or DEFAULT_PRECISION,
        chroma_host=text_setting(env, "NEWSDESK_CHROMA_HOST"),
        chroma_port=int_setting(env, "NEWSDESK_CHROMA_PORT", DEFAULT_PORT),
        chroma_token=text_setting(env, "NEWSDESK_CHROMA_TOKEN"),
        log_level=(text_setting(env, "NEWSDESK_LOG_LEVEL") or "WARNING").upper(),
        embed_group=int_setting(env, "NEWSDESK_INDEX_GROUP", EMBED_GROUP),
        discord_token=text_setting(env, "DISCORD_TOKEN"),
        discord_guild_id=int_setting(env, "DISCORD_GUILD_ID", 0) or None,
        admin_role=text_setting(env, "NEWSDESK_ADMIN_ROLE"),
        cooldown_seconds=float_setting(env, "NEWSDESK_COOLDOWN_SECONDS", 5.0),
        llm=choice_setting(env, "NEWSDESK_LLM", ("none", "openai", "ollama")),
        llm_model=text_setting(env, "NEWSDESK_LLM_MODEL"),
        llm_base_url=text_setting(env, "NEWSDESK_LLM_BASE_URL"),
        llm_api_key=text_setting(env, "OPENAI_API_KEY"),
        llm_timeout=float_setting(env, "NEWSDESK_LLM_TIMEOUT", 30.0),
        context_minutes=float_setting(env, "NEWSDESK_CONTEXT_MINUTES", 15.0),
        feed_minutes=float_setting(env, "NEWSDESK_FEED_MINUTES", 0.0),
        fetch_timeout=float_setting(env, "NEWSDESK_FETCH_TIMEOUT", 20.0) or 20.0,
        now=date_setting(env, "NEWSDESK_NOW"),
    )


def text_setting(env: Mapping[str, str], key: str) -> str | None:
    """A stripped value, or None when unset or blank."""
    value = env.get(key, "").strip()
    return value or None


def path_setting(env: Mapping[str, str], key: str, default: str) -> Path:
    """An absolute path, `~` expanded, relative paths taken from the current directory."""
    return Path(text_setting(env, key) or default).expanduser().absolute()


def date_setting(env: Mapping[str, str], key: str) -> date | None:
    """A date (2025-02-05, or an ISO date-time whose day is taken), or None when unset."""
    value = text_setting(env, key)
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        raise NewsdeskError(f"{key} must be a date like 2025-02-05, not {value!r}") from None


def int_setting(env: Mapping[str, str], key: str, default: int) -> int:
    """An integer setting with a clear error for anything else."""
    value = text_setting(env, key)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise NewsdeskError(f"{key} must be a whole number, not {value!r}") from None


def float_setting(env: Mapping[str, str], key: str, default: float) -> float:
    """A non-negative number setting with a clear error for anything else."""
    value = text_setting(env, key)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number < 0:
        raise NewsdeskError(f"{key} must be a number of seconds (0 or more), not {value!r}")
    return number


def choice_setting(env: Mapping[str, str], key: str, choices: tuple[str, ...]) -> str:
    """One of a fixed set of lower-case values; the first is the default."""
    value = (text_setting(env, key) or choices[0]).lower()
    if value not in choices:
        raise NewsdeskError(f"{key} must be one of {', '.join(choices)}, not {value!r}")
    return value
