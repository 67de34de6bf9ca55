"""`newsdesk discord`: slash commands, mentions and DMs answered in their conversation by the CLI's answer().

Every question is parse → answer_in_context() (in a worker thread) → discord_format → send. Conversations live in
one ConversationStore (bot.conversation, shared with the REPL) keyed by place: in a thread (the one /ask opens, or
any other) and in a DM each member has one conversation; in a channel, a reply to one of the bot's answers continues
that answer's conversation (its reply chain) and anything else starts fresh. A restart starts every place fresh.

The slash commands are discord.py app commands registered with `tree.command` (each function's docstring is the
help Discord shows); their checks raise CheckFailure subclasses, the callbacks raise NewsdeskError for problems the
member can fix, and every failure ends in the tree's one `on_error`. One NewsIndex serves the whole process; a
re-index commits a new generation atomically, so questions asked meanwhile see the old index or the new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot import discord_format as fmt
from bot.answering.answer import Answer, Citation, clean_question
from bot.answering.defaults import DEFAULT_K
from bot.answering.llm import build_synthesizer
from bot.answering.period import flag_window
from bot.config import Settings
from bot.conversation import ConversationStore, PlaceKey, answer_in_context
from index.add import add_article
from index.admission import UnreadableArticle, admit
from index.errors import NewsdeskError
from index.fetch import add_one_url, check_url
from index.handle import NewsIndex
from index.window import Window

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
PORTAL = "https://discord.com/developers/applications"
MISSING_TOKEN = (f"DISCORD_TOKEN is not set: create an application with a bot at {PORTAL} (Bot → Reset Token), "
                 "then put DISCORD_TOKEN=<token> in .env or the environment (see docs/discord.md)")
REJECTED_TOKEN = (f"Discord rejected DISCORD_TOKEN: copy a fresh token from your application at {PORTAL} "
                  "(Bot → Reset Token) into DISCORD_TOKEN in .env or the environment (see docs/discord.md)")
UNREACHABLE = "could not reach Discord; check the network connection and try again"
HELP = "Ask me about the news articles: mention me with a question, DM me, or use /ask."
INDEX_BUSY = "the index is being changed right now; try again when it ends"
ONE_SOURCE = "attach an article file or give a url (one of the two)"
REMEMBERED_ANSWERS = 1000  # users whose last answer /sources can still show
BUTTON_SECONDS = 3600.0  # how long the source buttons under an answer keep working
PROGRESS_SECONDS = 2.0  # at most one progress edit this often (Discord rate-limits edits)
MAX_BUTTONS = 25
COOLDOWN_ENTRIES = 10_000  # past this many members, entries whose cooldown has ended are dropped
MAX_LINKS = 10_000  # answer messages a reply can still continue; the oldest are forgotten first
SWEEP_SECONDS = 60.0  # reply chains idle past the conversation time-out are swept at most this often
PUBLIC_ONLY = True  # /add url: never fetch private or local addresses for a Discord member (tests turn it off)

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


class ReplyChains:
    """Which channel conversation each of the bot's answer messages belongs to, so a reply to it carries on.

    Bounded (MAX_LINKS messages) and forgotten with the conversation's time-out: a chain idle longer than that is
    swept, and a reply to it starts fresh, as the store would anyway.
    """

    def __init__(self, timeout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout = timeout
        self.clock = clock
        self.links: OrderedDict[int, PlaceKey] = OrderedDict()  # answer message id → chain
        self.active: dict[PlaceKey, float] = {}  # chain → when it last answered
        self.swept = clock()

    def link(self, message_ids: Iterable[int], place: PlaceKey) -> None:
        """Remember that these messages answer in `place`, which was just used."""
        now = self.clock()
        self.active[place] = now
        for message_id in message_ids:
            self.links[message_id] = place
            self.links.move_to_end(message_id)
        while len(self.links) > MAX_LINKS:
            self.links.popitem(last=False)
        if now - self.swept >= SWEEP_SECONDS:
            self.sweep(now)

    def find(self, message_id: int) -> PlaceKey | None:
        """The chain a reply to this message continues; None when the message is unknown or its chain timed out."""
        place = self.links.get(message_id)
        if place is None or self.clock() - self.active.get(place, float("-inf")) > self.timeout:
            return None
        return place

    def forget(self, prefix: PlaceKey) -> list[PlaceKey]:
        """Drop every chain whose key starts with `prefix` (one member's chains in one channel); returns them."""
        gone = [place for place in self.active if place[: len(prefix)] == prefix]
        self.drop(set(gone))
        return gone

    def sweep(self, now: float) -> None:
        """Drop chains idle past the time-out, with their links."""
        self.swept = now
        self.drop({place for place, at in self.active.items() if now - at > self.timeout})

    def drop(self, places: set[PlaceKey]) -> None:
        """Forget these chains and every link to them."""
        if places:
            for place in places:
                self.active.pop(place, None)
            self.links = OrderedDict((m, p) for m, p in self.links.items() if p not in places)

    def __len__(self) -> int:
        """Answer messages a reply may still continue."""
        return len(self.links)


def place_key(guild_id: int | None, channel_id: int | None, member_id: int) -> PlaceKey:
    """A member's conversation in one thread or DM; a channel reply chain extends it with ("reply", root id)."""
    return ("discord", guild_id, channel_id, member_id)


def is_chain(place: PlaceKey) -> bool:
    """True for a channel reply chain, whose answer messages must point back to it."""
    return len(place) > 4


class Places:
    """Which conversation a Discord question belongs to: per member in a thread or DM, else its channel reply chain."""

    def __init__(self, minutes: float) -> None:
        self.store = ConversationStore(minutes)
        self.chains = ReplyChains(self.store.timeout, self.store.clock)

    def of_message(self, message: discord.Message) -> PlaceKey:
        """A mention's or DM's place: its thread or DM, the chain of the answer it replies to, or a new chain."""
        reference = message.reference if message.type == discord.MessageType.reply else None
        replied = reference.message_id if reference is not None else None
        threaded = isinstance(message.channel, discord.Thread)
        guild_id = message.guild.id if message.guild is not None else None
        return self.place(guild_id, message.channel.id, threaded, message.author.id, message.id, replied)

    def of_interaction(self, interaction: discord.Interaction) -> PlaceKey:
        """An /ask answered where it was asked: its thread or DM, else a new chain rooted at the interaction."""
        threaded = isinstance(interaction.channel, discord.Thread)
        return self.place(interaction.guild_id, interaction.channel_id, threaded, interaction.user.id, interaction.id)

    def place(self, guild_id: int | None, channel_id: int | None, threaded: bool, member_id: int, root: int,
              replied: int | None = None) -> PlaceKey:
        """The store's key: the member's in a thread or DM; in a channel the replied-to chain, else a new one."""
        here = place_key(guild_id, channel_id, member_id)
        if guild_id is None or threaded:
            return here
        found = self.chains.find(replied) if replied is not None else None
        return found or (*here, "reply", root)

    def link(self, sent: list[discord.Message], place: PlaceKey) -> None:
        """Point a channel answer's messages at its chain, so a reply to any of them continues the conversation."""
        if is_chain(place):
            self.chains.link([m.id for m in sent], place)

    def forget(self, guild_id: int | None, channel_id: int | None, member_id: int) -> None:
        """/new: drop the member's conversation in this thread or DM, and the reply chains they started here."""
        here = place_key(guild_id, channel_id, member_id)
        for place in [here, *self.chains.forget(here)]:
            self.store.clear(place)


def attachment_problem(filename: str, size: int) -> str | None:
    """Why an attachment cannot be an article, judged before downloading it; None when it may be."""
    try:
        admit(filename, size=size)
    except UnreadableArticle as exc:
        return f"{fmt.escape_markdown(filename)}: {exc}"
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


async def send_parts(parts: list[fmt.Part], result: Answer | None, send: Send) -> list[discord.Message]:
    """Send the parts in order, the source buttons under the last; returns the messages sent."""
    view = SourcesView(result) if result is not None and result.citations else None
    sent: list[discord.Message] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent.append(await send(part, message_kwargs(part, view if last else None)))
    if view is not None and sent:
        view.message = sent[-1]
    return sent


def sender(channel: discord.abc.Messageable, question: discord.Message | None = None) -> Send:
    """Send parts to a channel or thread, the first as a reply to the question message when there is one."""

    async def send(part: fmt.Part, kwargs: dict[str, Any]) -> discord.Message:
        reference = question.to_reference(fail_if_not_exists=False) if question and part.reply else None
        return await channel.send(reference=reference, **kwargs)

    return send


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


class Refused(app_commands.CheckFailure):
    """A check that failed for a reason the member can act on; its message is shown to them as it is."""


class AskingTooFast(Refused):
    """The member's cooldown (shared by /ask, mentions and DMs) has not ended yet."""

    def __init__(self, seconds: float) -> None:
        super().__init__(fmt.cooldown_text(seconds))
        self.retry_after = seconds


class NotAdmin(Refused):
    """Only members with Manage Server or the admin role may change the index."""


def failure_text(error: BaseException, what: str) -> str:
    """What a member is told of a failure: a refusal or fixable problem as it is; a bug is logged and apologised for."""
    cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(cause, Refused):
        return str(cause)
    if isinstance(cause, NewsdeskError):
        return fmt.error_text(str(cause))
    if isinstance(cause, app_commands.CheckFailure):
        return fmt.refusal_text(str(cause) or "you cannot use this command here")
    log.exception("%s failed", what, exc_info=cause)
    return fmt.APOLOGY


class Tree(app_commands.CommandTree):
    """The command tree, whose one on_error is where every failed command ends."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Refusals and problems the member can fix are shown privately; anything else is logged, with an apology."""
        name = interaction.command.name if interaction.command else "an interaction"
        await say(interaction, failure_text(error, f"Discord command /{name}"))


def client_of(interaction: discord.Interaction) -> NewsdeskClient:
    """The bot that received the interaction."""
    client = interaction.client
    assert isinstance(client, NewsdeskClient)
    return client


def take_turn(interaction: discord.Interaction) -> bool:
    """Check: the member's cooldown has ended (the turn is taken), else AskingTooFast."""
    wait = client_of(interaction).cooldown.wait(interaction.user.id)
    if wait:
        raise AskingTooFast(wait)
    return True


def admin_only(interaction: discord.Interaction) -> bool:
    """Check: Manage Server (or Administrator) here, or the role named by NEWSDESK_ADMIN_ROLE, else NotAdmin."""
    bot = client_of(interaction)
    if bot.is_admin(interaction):
        return True
    raise NotAdmin(fmt.permission_text(bot.settings.admin_role))


def threads_allowed(interaction: discord.Interaction) -> bool:
    """/ask opens a thread in a server text channel where the bot may create public threads and talk in them."""
    allowed = interaction.app_permissions
    return (isinstance(interaction.channel, discord.TextChannel) and allowed.create_public_threads
            and allowed.send_messages_in_threads)


class NewsdeskClient(discord.Client):
    """The bot: one NewsIndex and one conversation store shared by every handler; blocking work runs in threads."""

    def __init__(self, settings: Settings, index: NewsIndex, k: int = DEFAULT_K) -> None:
        super().__init__(intents=bot_intents(), allowed_mentions=NO_MENTIONS)
        self.settings = settings
        self.index = index
        self.k = k
        self.synthesizer = build_synthesizer(settings.llm_config(), stream=False)  # the CLI's optional LLM prose
        self.tree = Tree(self)
        self.cooldown = Cooldown(settings.cooldown_seconds)
        self.places = Places(settings.context_minutes)
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
        """Open the store and load the models now; an unbuilt index is reported, not fatal."""
        from bot.answering.warm import load_models

        try:
            load_models(self.index, self.settings.model_dir)
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
        await self.answer_message(message, question)

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

    async def answer_message(self, message: discord.Message, question: str) -> None:
        """Answer in the message's conversation, as a reply; a failure is told as on_error tells a command's."""
        place = self.places.of_message(message)
        try:
            async with message.channel.typing():
                result = await self.ask(question, place, message.author.id)
        except Exception as exc:  # failure_text logs whatever is not the member's to fix
            failed = fmt.Part(content=failure_text(exc, "answering a mention or DM"), reply=True)
            await send_parts([failed], None, sender(message.channel, message))
            return
        self.places.link(await send_parts(fmt.answer_parts(result), result, sender(message.channel, message)), place)

    async def ask(self, question: str, place: PlaceKey, member_id: int, window: Window | None = None) -> Answer:
        """answer_in_context() in a worker thread, in the place's conversation; kept for /sources."""
        conversation = self.places.store.get(place)
        result = await asyncio.to_thread(answer_in_context, question, self.index, conversation, self.k,
                                         self.synthesizer, window, self.settings.today())
        self.remember(member_id, result)
        return result

    def remember(self, user_id: int, result: Answer) -> None:
        """Keep each user's last answer for /sources (the oldest users are forgotten first)."""
        self.answers[user_id] = result
        self.answers.move_to_end(user_id)
        while len(self.answers) > REMEMBERED_ANSWERS:
            self.answers.popitem(last=False)

    async def ask_here(self, interaction: discord.Interaction, question: str, window: Window | None = None) -> None:
        """/ask answered where it was asked, as follow-ups: the thread's or DM's conversation, else a new chain."""
        if not interaction.response.is_done():
            await interaction.response.defer(thinking=True)
        place = self.places.of_interaction(interaction)
        result = await self.ask(question, place, interaction.user.id, window)
        self.places.link(await self.followups(interaction, fmt.answer_parts(result), result), place)

    async def ask_in_thread(self, interaction: discord.Interaction, question: str,
                            window: Window | None = None) -> None:
        """/ask in a channel that allows threads: the question is posted, a thread opened under it, answered there."""
        thread = await self.open_thread(interaction, question)
        if thread is None:
            await self.ask_here(interaction, question, window)
            return
        place = place_key(interaction.guild_id, thread.id, interaction.user.id)
        async with thread.typing():
            result = await self.ask(question, place, interaction.user.id, window)
        await send_parts(fmt.answer_parts(result), result, sender(thread))

    async def open_thread(self, interaction: discord.Interaction, question: str) -> discord.Thread | None:
        """Post who asked what, open a thread from that message and add the asker; None if Discord refuses."""
        text = fmt.thread_starter_text(question, interaction.user.display_name)
        response = await interaction.response.send_message(text, allowed_mentions=NO_MENTIONS)
        starter = response.resource
        if not isinstance(starter, discord.InteractionMessage):
            starter = await interaction.original_response()
        try:
            thread = await starter.create_thread(name=fmt.thread_name(question))
        except discord.HTTPException as exc:
            log.warning("could not open a thread for /ask; answering in the channel: %s", exc)
            await edit_original(interaction, fmt.asked_text(question, interaction.user.display_name))
            return None
        with contextlib.suppress(discord.HTTPException):
            await thread.add_user(interaction.user)
        return thread

    async def followups(self, interaction: discord.Interaction, parts: list[fmt.Part],
                        result: Answer | None) -> list[discord.Message]:
        """Send the parts as follow-ups to a deferred command."""

        async def send(part: fmt.Part, kwargs: dict[str, Any]) -> discord.Message:
            return await interaction.followup.send(wait=True, **kwargs)

        return await send_parts(parts, result, send)

    def is_admin(self, interaction: discord.Interaction) -> bool:
        """Manage Server (or Administrator) here, or the role named by NEWSDESK_ADMIN_ROLE."""
        member = interaction.user
        if not isinstance(member, discord.Member):
            return False
        if interaction.permissions.manage_guild or interaction.permissions.administrator:
            return True
        wanted = (self.settings.admin_role or "").casefold()
        return bool(wanted) and any(r.name.casefold() == wanted or str(r.id) == wanted for r in member.roles)

    async def index_job(self, interaction: discord.Interaction, label: str, job: Job) -> None:
        """Run one index change at a time, its progress shown by editing a single message."""
        if self.index_busy.locked():
            raise NewsdeskError(INDEX_BUSY)
        async with self.index_busy:
            relay = ProgressRelay(label)
            await interaction.response.send_message(relay.latest, allowed_mentions=NO_MENTIONS)
            await run_with_progress(interaction, relay, job)

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

    async def add_url_job(self, url: str, replace: bool, relay: ProgressRelay) -> str:
        """Fetch a public page into the corpus as an article, re-index; a page that cannot be used changes nothing."""
        relay.update("fetching", 0, 0)
        corpus, timeout = self.index.config.corpus_dir, self.settings.fetch_timeout
        try:
            added = await asyncio.to_thread(add_one_url, corpus, url, replace, timeout, public_only=PUBLIC_ONLY)
        except NewsdeskError as exc:
            return fmt.refusal_text(f"{fmt.escape_markdown(url)} was not added: {exc}")
        report = await asyncio.to_thread(self.index.reindex, progress=relay.update, on_wait=relay.waiting)
        return fmt.report_text(report, [added])


async def run_with_progress(interaction: discord.Interaction, relay: ProgressRelay, job: Job) -> None:
    """Edit progress into the message while the job runs; it ends with the report, or says the job stopped."""
    pump = asyncio.create_task(relay.pump(interaction))
    text = fmt.refusal_text(f"{relay.label} stopped: something went wrong; the details are in the bot's log")
    try:
        text = await settled(job(relay))
    finally:
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pump
        await edit_original(interaction, text)


async def settled(job: Awaitable[str]) -> str:
    """A job's report, or a problem the member can fix as a refusal (anything else goes on to on_error)."""
    try:
        return await job
    except NewsdeskError as exc:
        return fmt.refusal_text(str(exc))


@app_commands.check(take_turn)
@app_commands.describe(question="What you want to know from the news articles",
                       since="Only articles published from this day or period (2025-01-28, January 2025, last week)",
                       until="Only articles published up to this day or period (inclusive)")
async def ask_command(interaction: discord.Interaction, question: str, since: str | None = None,
                      until: str | None = None) -> None:
    """Ask about the news articles; the answer quotes and cites them, and follow-ups are read in context"""
    asked = clean_question(question)  # an empty or over-long question is refused privately, before any posting
    bot = client_of(interaction)
    window = flag_window(since, until, bot.settings.today())  # an unreadable date is refused privately too
    if threads_allowed(interaction):
        await bot.ask_in_thread(interaction, asked, window)
    else:
        await bot.ask_here(interaction, asked, window)


async def new_command(interaction: discord.Interaction) -> None:
    """Start a new conversation here: your next question is read on its own"""
    client_of(interaction).places.forget(interaction.guild_id, interaction.channel_id, interaction.user.id)
    in_channel = interaction.guild_id is not None and not isinstance(interaction.channel, discord.Thread)
    await interaction.response.send_message(fmt.new_conversation_text(in_channel), ephemeral=True,
                                            allowed_mentions=NO_MENTIONS)


@app_commands.describe(n="The citation number, as in [1]")
async def sources_command(interaction: discord.Interaction, n: app_commands.Range[int, 1, 99]) -> None:
    """Show the full passage behind a citation of your last answer"""
    part = fmt.sources_part(client_of(interaction).answers.get(interaction.user.id), n)
    await interaction.response.send_message(ephemeral=True, **message_kwargs(part))


@app_commands.guild_only()
@app_commands.check(admin_only)
async def reindex_command(interaction: discord.Interaction) -> None:
    """Re-index the corpus folder (Manage Server or the admin role)"""
    bot = client_of(interaction)
    await bot.index_job(interaction, "Re-indexing", bot.reindex_job)


@app_commands.guild_only()
@app_commands.check(admin_only)
@app_commands.describe(article="A .txt, .md or .html news article, 5 MB at most",
                       url="Or the http(s) address of a news article page to fetch",
                       replace="Overwrite a corpus article of the same name (or URL) that has different text")
async def add_command(interaction: discord.Interaction, article: discord.Attachment | None = None,
                      url: str | None = None, replace: bool = False) -> None:
    """Add an article (.txt, .md or .html file, or a page's URL; 5 MB at most) and index it (admins)"""
    bot = client_of(interaction)
    if url is not None and article is None:
        page = check_url(url)  # anything but http(s) is refused before a request is made
        await bot.index_job(interaction, f"Adding {fmt.escape_markdown(page)}",
                            lambda relay: bot.add_url_job(page, replace, relay))
        return
    if article is None or url is not None:
        raise NewsdeskError(ONE_SOURCE)
    problem = attachment_problem(article.filename, article.size)
    if problem:
        raise NewsdeskError(problem)
    await bot.index_job(interaction, f"Adding {article.filename}", lambda relay: bot.add_job(article, replace, relay))


COMMANDS = (("ask", ask_command), ("new", new_command), ("sources", sources_command),
            ("reindex", reindex_command), ("add", add_command))


def add_commands(tree: app_commands.CommandTree) -> None:
    """Register the slash commands with discord.py's `tree.command` (each docstring is the command's help)."""
    for name, callback in COMMANDS:
        tree.command(name=name)(callback)


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
