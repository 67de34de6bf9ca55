"""`newsdesk discord`: slash commands, mentions and DMs answered by the same answer() the CLI uses.

Every handler is parse → answer() (in a worker thread) → discord_format → send. One NewsIndex serves the whole
process; it is thread-safe, and a re-index commits a new generation atomically, so questions asked meanwhile see
the old index or the new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot import discord_format as fmt
from bot.answering.answer import Answer, Citation, answer
from bot.answering.defaults import DEFAULT_K
from bot.answering.llm import build_synthesizer
from bot.config import Settings
from index.add import add_article
from index.articles import MAX_BYTES, READABLE_SUFFIXES, UnreadableArticle
from index.errors import NewsdeskError
from index.handle import NewsIndex

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
PORTAL = "https://discord.com/developers/applications"
MISSING_TOKEN = (f"DISCORD_TOKEN is not set: create an application with a bot at {PORTAL} (Bot → Reset Token), "
                 "then put DISCORD_TOKEN=<token> in .env or the environment (see docs/discord.md)")
REJECTED_TOKEN = (f"Discord rejected DISCORD_TOKEN: copy a fresh token from your application at {PORTAL} "
                  "(Bot → Reset Token) into DISCORD_TOKEN in .env or the environment (see docs/discord.md)")
UNREACHABLE = "could not reach Discord; check the network connection and try again"
HELP = "Ask me about the news articles: mention me with a question, DM me, or use /ask."
REMEMBERED_ANSWERS = 1000  # users whose last answer /sources can still show
BUTTON_SECONDS = 3600.0  # how long the source buttons under an answer keep working
PROGRESS_SECONDS = 2.0  # at most one progress edit this often (Discord rate-limits edits)
MAX_BUTTONS = 25
COOLDOWN_ENTRIES = 10_000  # past this many members, entries whose cooldown has ended are dropped

Job = Callable[["ProgressRelay"], Awaitable[str]]
Send = Callable[[fmt.Part, dict[str, Any]], Awaitable[discord.Message]]  # one part and its message_kwargs


def bot_intents() -> discord.Intents:
    """Only what the bot uses: guilds (roles for the admin check) and guild/DM message events.

    No privileged intent: Discord sends the text of messages that mention the bot, and of DMs, without the
    Message Content intent, and the bot reads no other messages.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    return intents


class Cooldown:
    """Per-user spacing between questions, so one member cannot monopolise the model."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.last: dict[int, float] = {}

    def wait(self, user_id: int) -> float:
        """Seconds the user must still wait; 0 means go ahead (and the turn is taken)."""
        now = self.clock()
        previous = self.last.get(user_id)
        if previous is not None and now - previous < self.seconds:
            return self.seconds - (now - previous)
        if len(self.last) > COOLDOWN_ENTRIES:
            self.last = {u: t for u, t in self.last.items() if now - t < self.seconds}
        self.last[user_id] = now
        return 0.0


def attachment_problem(filename: str, size: int) -> str | None:
    """Why an attachment cannot be an article, judged before downloading it; None when it may be."""
    suffix = Path(filename).suffix.lower()
    shown = fmt.escape_markdown(filename)
    if suffix not in READABLE_SUFFIXES:
        return f"{shown}: unsupported file type {suffix or '(none)'!r}; attach a .txt, .md or .html article"
    if size > MAX_BYTES:
        return f"{shown}: file is {size / 1e6:.1f} MB, over the 5 MB limit"
    return None


def strip_mentions(content: str, user_id: int, role_id: int | None) -> str:
    """The question in a message that mentions the bot (as a user or through its own role)."""
    ids = [rf"<@!?{user_id}>"] + ([rf"<@&{role_id}>"] if role_id else [])
    return " ".join(re.sub("|".join(ids), " ", content).split())


def message_kwargs(part: fmt.Part, view: discord.ui.View | None = None) -> dict[str, Any]:
    """Send/followup keyword arguments for one part; mentions are always off."""
    kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
    if part.content:
        kwargs["content"] = part.content
    if part.embed is not None:
        kwargs["embed"] = discord.Embed.from_dict(part.embed)
    if view is not None:
        kwargs["view"] = view
    return kwargs


async def send_parts(parts: list[fmt.Part], result: Answer | None, send: Send) -> None:
    """Send the parts in order, the source buttons under the last, so one view serves every way of sending."""
    view = SourcesView(result) if result is not None and result.citations else None
    sent: discord.Message | None = None
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent = await send(part, message_kwargs(part, view if last else None))
    if view is not None:
        view.message = sent


class SourcesView(discord.ui.View):
    """One button per citation under an answer; a click shows that passage to the clicker only."""

    def __init__(self, result: Answer) -> None:
        super().__init__(timeout=BUTTON_SECONDS)
        self.message: discord.Message | None = None
        for citation in result.citations[:MAX_BUTTONS]:
            button: discord.ui.Button[SourcesView] = discord.ui.Button(
                label=f"[{citation.n}]", emoji="📄", style=discord.ButtonStyle.secondary)
            button.callback = self.shower(citation)  # type: ignore[method-assign]
            self.add_item(button)

    @staticmethod
    def shower(citation: Citation) -> Callable[[discord.Interaction], Awaitable[None]]:
        """The click handler for one citation's button."""

        async def show(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(**message_kwargs(fmt.passage_part(citation)), ephemeral=True)

        return show

    async def on_timeout(self) -> None:
        """Remove the buttons once they stop working, so nobody clicks a dead one."""
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=None)


class ProgressRelay:
    """Carries the newest progress from the indexing thread to one message, edited every few seconds."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.latest = fmt.progress_text(label, "starting", 0, 0)
        self.shown = self.latest

    def update(self, phase: str, done: int, total: int) -> None:
        """Called from the worker thread: remember only the newest state (one atomic assignment)."""
        self.latest = fmt.progress_text(self.label, phase, done, total)

    def waiting(self) -> None:
        """Called from the worker thread while another indexer holds the lock."""
        self.latest = fmt.progress_text(self.label, "waiting for another index run to finish", 0, 0)

    async def pump(self, interaction: discord.Interaction) -> None:
        """Edit the progress message whenever the state changed, until cancelled."""
        while True:
            await asyncio.sleep(PROGRESS_SECONDS)
            if self.latest != self.shown:
                self.shown = self.latest
                await edit_original(interaction, self.shown)


async def edit_original(interaction: discord.Interaction, text: str) -> None:
    """Replace the text of the interaction's message; a failed edit is logged, not fatal."""
    try:
        await interaction.edit_original_response(content=text, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not edit the progress message: %s", exc)


async def say(interaction: discord.Interaction, text: str) -> None:
    """A short private message to whoever used the command, whether or not it was answered yet."""
    with contextlib.suppress(discord.HTTPException):
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


class Tree(app_commands.CommandTree):
    """The command tree: a command that fails unexpectedly is logged in full and the user gets an apology."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Check failures explain themselves; anything else is a bug, so log it and apologise."""
        if isinstance(error, app_commands.CheckFailure):
            await say(interaction, fmt.refusal_text(str(error)))
            return
        log.error("Discord command %s failed", interaction.command and interaction.command.name, exc_info=error)
        await say(interaction, fmt.APOLOGY)


class NewsdeskClient(discord.Client):
    """The bot: one NewsIndex shared by every handler; blocking work runs in worker threads."""

    def __init__(self, settings: Settings, index: NewsIndex, k: int = DEFAULT_K) -> None:
        super().__init__(intents=bot_intents(), allowed_mentions=NO_MENTIONS)
        self.settings = settings
        self.index = index
        self.k = k
        self.synthesizer = build_synthesizer(settings.llm_config(), stream=False)  # the CLI's optional LLM prose
        self.tree = Tree(self)
        self.cooldown = Cooldown(settings.cooldown_seconds)
        self.answers: OrderedDict[int, Answer] = OrderedDict()
        self.index_busy = asyncio.Lock()
        add_commands(self.tree)

    async def setup_hook(self) -> None:
        """Sync the slash commands and load the model before the first question arrives."""
        await self.sync_commands()
        await asyncio.to_thread(self.warm_up)

    async def sync_commands(self) -> None:
        """To DISCORD_GUILD_ID when set (instant), else globally (Discord may take a while to show them)."""
        guild_id = self.settings.discord_guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d slash commands %s", len(synced), f"to guild {guild_id}" if guild_id else "globally")

    def warm_up(self) -> None:
        """Open the store and load the embedding model now; an unbuilt index is reported, not fatal."""
        try:
            self.index.search("warm up", 1)
        except NewsdeskError as exc:
            log.warning("the index is not ready yet (%s); /reindex builds it", exc)

    async def on_ready(self) -> None:
        """Say who we are in the log once connected."""
        log.info("connected to Discord as %s", self.user)

    async def on_message(self, message: discord.Message) -> None:
        """A mention of the bot or a DM is a question, answered as a reply; other messages are ignored."""
        question = self.question_in(message)
        if question is None:
            return
        if not question:
            await message.reply(HELP, allowed_mentions=NO_MENTIONS)
            return
        wait = self.cooldown.wait(message.author.id)
        if wait:
            await message.reply(fmt.cooldown_text(wait), delete_after=max(wait, 5.0), allowed_mentions=NO_MENTIONS)
            return
        async with message.channel.typing():
            result, parts = await self.ask(question, message.author.id)
        await self.reply(message, parts, result)

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None when the message is not for the bot."""
        me = self.user
        if me is None or message.author.bot or message.webhook_id or message.author.id == me.id:
            return None
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return None
        if message.guild is None:
            return " ".join(message.content.split())
        role = message.guild.self_role
        role_id = role.id if role is not None and role in message.role_mentions else None
        if role_id is None and all(user.id != me.id for user in message.mentions):
            return None
        return strip_mentions(message.content, me.id, role_id)

    async def ask(self, question: str, user_id: int) -> tuple[Answer | None, list[fmt.Part]]:
        """answer() in a worker thread, formatted; a user error becomes its message, anything else an apology."""
        try:
            result = await asyncio.to_thread(answer, question, self.index, self.k, self.synthesizer)
        except NewsdeskError as exc:
            return None, [fmt.Part(content=fmt.error_text(str(exc)), reply=True)]
        except Exception:
            log.exception("answering a question from Discord failed")
            return None, [fmt.Part(content=fmt.APOLOGY, reply=True)]
        self.remember(user_id, result)
        return result, fmt.answer_parts(result)

    def remember(self, user_id: int, result: Answer) -> None:
        """Keep each user's last answer for /sources (the oldest users are forgotten first)."""
        self.answers[user_id] = result
        self.answers.move_to_end(user_id)
        while len(self.answers) > REMEMBERED_ANSWERS:
            self.answers.popitem(last=False)

    async def reply(self, message: discord.Message, parts: list[fmt.Part], result: Answer | None) -> None:
        """Send the parts in the channel, the first as a reply to the question."""

        async def send(part: fmt.Part, kwargs: dict[str, Any]) -> discord.Message:
            reference = message.to_reference(fail_if_not_exists=False) if part.reply else None
            return await message.channel.send(reference=reference, **kwargs)

        await send_parts(parts, result, send)

    async def followups(self, interaction: discord.Interaction, parts: list[fmt.Part],
                        result: Answer | None) -> None:
        """Send the parts as follow-ups to a deferred command."""

        async def send(part: fmt.Part, kwargs: dict[str, Any]) -> discord.Message:
            return await interaction.followup.send(wait=True, **kwargs)

        await send_parts(parts, result, send)

    async def admit(self, interaction: discord.Interaction) -> bool:
        """Apply the per-user cooldown; a refusal is a private, friendly note."""
        wait = self.cooldown.wait(interaction.user.id)
        if wait:
            await say(interaction, fmt.cooldown_text(wait))
        return not wait

    def is_admin(self, interaction: discord.Interaction) -> bool:
        """Manage Server (or Administrator) here, or the role named by NEWSDESK_ADMIN_ROLE."""
        member = interaction.user
        if not isinstance(member, discord.Member):
            return False
        if interaction.permissions.manage_guild or interaction.permissions.administrator:
            return True
        wanted = (self.settings.admin_role or "").casefold()
        return bool(wanted) and any(r.name.casefold() == wanted or str(r.id) == wanted for r in member.roles)

    async def admit_admin(self, interaction: discord.Interaction) -> bool:
        """Only admins change the index; others get a private refusal."""
        if self.is_admin(interaction):
            return True
        await say(interaction, fmt.permission_text(self.settings.admin_role))
        return False

    async def index_job(self, interaction: discord.Interaction, label: str, job: Job) -> None:
        """Run one index change at a time, its progress shown by editing a single message."""
        if self.index_busy.locked():
            await say(interaction, fmt.refusal_text("the index is being changed right now; try again when it ends"))
            return
        async with self.index_busy:
            relay = ProgressRelay(label)
            await interaction.response.send_message(relay.latest, allowed_mentions=NO_MENTIONS)
            pump = asyncio.create_task(relay.pump(interaction))
            try:
                text = await job(relay)
            except NewsdeskError as exc:
                text = fmt.refusal_text(str(exc))
            except Exception:
                log.exception("%s from Discord failed", label)
                text = fmt.APOLOGY
            finally:
                pump.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await pump
            await edit_original(interaction, text)

    async def reindex_job(self, relay: ProgressRelay) -> str:
        """Bring the index in line with the corpus folder (in a worker thread) and report like the CLI."""
        report = await asyncio.to_thread(self.index.reindex, progress=relay.update, on_wait=relay.waiting)
        return fmt.report_text(report)

    async def add_job(self, attachment: discord.Attachment, replace: bool, relay: ProgressRelay) -> str:
        """Download, write into the corpus as an article, re-index; a bad file changes nothing."""
        relay.update("downloading", 0, 0)
        raw = await attachment.read()
        corpus = self.index.config.corpus_dir
        try:
            added = await asyncio.to_thread(add_article, corpus, attachment.filename, raw, replace)
        except UnreadableArticle as exc:
            return fmt.refusal_text(f"{fmt.escape_markdown(attachment.filename)} was not added: {exc}")
        report = await asyncio.to_thread(self.index.reindex, progress=relay.update, on_wait=relay.waiting)
        return fmt.report_text(report, [added])


def client_of(interaction: discord.Interaction) -> NewsdeskClient:
    """The bot that received the interaction."""
    client = interaction.client
    assert isinstance(client, NewsdeskClient)
    return client


@app_commands.describe(question="What you want to know from the news articles")
async def ask_command(interaction: discord.Interaction, question: str) -> None:
    """/ask: deferred at once (Discord allows 3 s), answered as a follow-up."""
    bot = client_of(interaction)
    if not await bot.admit(interaction):
        return
    await interaction.response.defer(thinking=True)
    result, parts = await bot.ask(question, interaction.user.id)
    await bot.followups(interaction, parts, result)


@app_commands.describe(n="The citation number, as in [1]")
async def sources_command(interaction: discord.Interaction, n: app_commands.Range[int, 1, 99]) -> None:
    """/sources n: the full passage behind citation n of your last answer, shown to you only."""
    part = fmt.sources_part(client_of(interaction).answers.get(interaction.user.id), n)
    await interaction.response.send_message(ephemeral=True, **message_kwargs(part))


@app_commands.guild_only()
async def reindex_command(interaction: discord.Interaction) -> None:
    """/reindex: admins only; embeds new and changed articles, drops removed ones."""
    bot = client_of(interaction)
    if await bot.admit_admin(interaction):
        await bot.index_job(interaction, "Re-indexing", bot.reindex_job)


@app_commands.guild_only()
@app_commands.describe(article="A .txt, .md or .html news article, 5 MB at most",
                       replace="Overwrite a corpus article of the same name that has different text")
async def add_command(interaction: discord.Interaction, article: discord.Attachment, replace: bool = False) -> None:
    """/add: admins only; the attached article joins the corpus and the index."""
    bot = client_of(interaction)
    if not await bot.admit_admin(interaction):
        return
    problem = attachment_problem(article.filename, article.size)
    if problem:
        await say(interaction, fmt.refusal_text(problem))
        return
    await bot.index_job(interaction, f"Adding {article.filename}",
                        lambda relay: bot.add_job(article, replace, relay))


def add_commands(tree: app_commands.CommandTree) -> None:
    """Register the slash commands on a bot's tree."""
    commands = (
        ("ask", "Ask a question about the news articles; the answer quotes and cites them", ask_command),
        ("sources", "Show the full passage behind a citation of your last answer", sources_command),
        ("reindex", "Re-index the corpus folder (Manage Server or the admin role)", reindex_command),
        ("add", "Add an article (.txt, .md or .html, 5 MB at most) and index it (admins)", add_command),
    )
    for name, description, callback in commands:
        tree.add_command(app_commands.Command(name=name, description=description, callback=callback))


def require_token(settings: Settings) -> str:
    """The bot token, or one clear line saying how to get one."""
    if not settings.discord_token:
        raise NewsdeskError(MISSING_TOKEN)
    return settings.discord_token


def serve(client: NewsdeskClient, token: str) -> None:
    """Run until stopped; Discord's start-up refusals become one clear NewsdeskError (never showing the token)."""
    try:
        client.run(token, log_handler=None)
    except discord.LoginFailure:
        raise NewsdeskError(REJECTED_TOKEN) from None
    except aiohttp.ClientConnectionError:
        raise NewsdeskError(UNREACHABLE) from None


def run_bot(settings: Settings, index: NewsIndex, k: int = DEFAULT_K) -> None:
    """`newsdesk discord`: check the token, then serve questions until interrupted."""
    token = require_token(settings)
    serve(NewsdeskClient(settings, index, k), token)
