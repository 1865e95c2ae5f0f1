"""Errors raised by omakase_core.

Every refused command raises a subclass of :class:`OmakaseError`. Each leaf also
subclasses a builtin (``ValueError``, ``PermissionError``, ``LookupError`` …) so that a
caller can catch either. An error carries its data as attributes (the rule ID, the
offending field, the year, …) and its message says in one sentence what was refused
and why. A refused command changes nothing.

A message never carries more than a short excerpt of any input (SEC-2): an error built
from a caller's value (an id, a year, a description) shows it through :func:`excerpt`, so
a megabyte of text or a number of thousands of digits cannot flood a log or a screen.

Every error pickles and unpickles to an equal error — same type, message (``args``) and
fields — so it crosses process boundaries intact (``concurrent.futures`` process pools,
Celery, RQ), although the constructors take keyword-only arguments (issue 11, PORT-6: a
delivery worker in another process reports its failures as they were raised). Two errors
are equal when their types, ``args`` and attributes are.

Every error explains itself to a portal's user with :meth:`OmakaseError.explain`: one
Japanese sentence built from its fields (the rule that decided and its name, field and
status labels, a deadline in Japanese format), or the English text (issue 15).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from omakase_core._explain import (
    ACTOR_LABELS,
    EVENT_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
    LIFECYCLE_LABELS,
    PROBLEMS,
    REASONS,
    format_deadline_ja,
    label,
    rule_phrase,
)

__all__ = [
    "HTTP_STATUS",
    "CalendarRangeError",
    "ConcurrencyConflict",
    "DeadlinePassed",
    "DecodeError",
    "DefinitionError",
    "InvalidTransition",
    "NaiveDatetimeError",
    "NotFound",
    "OmakaseError",
    "PermissionDenied",
    "StoreUnavailable",
    "ValidationError",
    "http_status",
]

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

LANGUAGES: Final = ("ja", "en")
"""The languages :meth:`OmakaseError.explain` speaks."""

EXCERPT_LENGTH: Final = 40
"""The most characters of an input a message shows (SEC-2; the rule says "about 80")."""


def excerpt(value: object, limit: int = EXCERPT_LENGTH) -> str:
    """Return how a message may show ``value``: its ``repr``, cut to about ``limit`` characters.

    Safe for any value: text is cut before it is quoted, and a value whose ``repr`` fails
    (an ``int`` of more digits than Python converts, a broken ``__repr__``) is shown by its
    type. Not part of the public API (not in ``__all__``); the library's modules use it.
    """
    if isinstance(value, str):
        text = repr(value[:limit])
        return f"{text}…" if len(value) > limit else text
    try:
        text = repr(value)
    except Exception:  # any failing repr: show the type instead
        return f"<{type(value).__name__}>"
    return f"{text[:limit]}…" if len(text) > limit else text


def _name(value: object, limit: int = EXCERPT_LENGTH) -> str:
    """Return a library-given name (a field, a rule, a description) as is when short text."""
    if isinstance(value, str) and len(value) <= limit:
        return value
    return excerpt(value, limit)


def _ja(rule: str | None, sentence: str) -> str:
    """Return a Japanese sentence after the rule that decided (``"CON-2（…）: "``) if any."""
    return f"{rule_phrase(rule)}: {sentence}" if rule else sentence


def _state_ja(state: str, state_label: str | None) -> str:
    """Return how a sentence shows a status: its Japanese label when known, else its name."""
    return label(FIELD_LABELS, state if state_label is None else state_label)


def error_text(message: str, rule: str | None) -> str:
    """Return an error's text: ``message``, after the ``rule`` that refused when there is one.

    :class:`OmakaseError` builds its ``args`` with it; not part of the public API (not in
    ``__all__``).
    """
    return f"{_name(rule)}: {message}" if rule else message


class OmakaseError(Exception):
    """Root of every error omakase_core raises.

    ``rule`` is the ID of the rule in the rulebook that refused the input (``"CAL-8"``),
    or ``None`` when the refusal is about the shape of an argument rather than a rule.
    """

    rule: str | None
    message: str

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        self.rule = rule
        self.message = message
        super().__init__(error_text(message, rule))

    def explain(self, lang: str = "ja") -> str:
        """Say in one sentence, for a portal's user, what was refused, why and what to do.

        ``"ja"`` builds natural Japanese from the error's fields: the rule ID and its short
        name when a rule decided, Japanese labels of fields, statuses and actors, a
        deadline in Japanese format. ``"en"`` returns the English text (``str(error)``).
        Any other ``lang`` is a :class:`ValidationError` naming ``lang`` (SEC-2). Neither
        shows more than a short excerpt of any input, nor ever a password (SEC-2).
        """
        if type(lang) is not str or lang not in LANGUAGES:
            msg = f"lang must be one of {', '.join(LANGUAGES)}, not {excerpt(lang)}"
            raise ValidationError(msg, field="lang", rule="SEC-2")
        if lang == "en":
            return str(self.args[0]) if self.args else self.message
        return self._explain_ja()

    def _explain_ja(self) -> str:
        """Return the Japanese sentence; each class with fields to tell overrides it."""
        return _ja(self.rule, "この操作は受け付けられませんでした。入力内容を確認してください。")

    def __reduce__(self) -> tuple[Callable[..., OmakaseError], tuple[Any, ...], dict[str, Any]]:
        """Pickle as the class, ``args`` and attributes: no constructor runs on unpickling.

        ``BaseException`` would call ``cls(*args)``, which fails for keyword-only
        constructors; the attributes (``rule``, ``field``, …, ``__notes__``) come back as
        they were, whatever a subclass's constructor computes from its arguments.
        """
        return _rebuild, (type(self), self.args), dict(vars(self))

    def __eq__(self, other: object) -> bool:
        """Equal when of the same type with equal ``args`` and equal attributes."""
        if not isinstance(other, OmakaseError):
            return NotImplemented
        return type(self) is type(other) and self.args == other.args and vars(self) == vars(other)

    def __hash__(self) -> int:
        """Hash the type and ``args`` (equal errors have both equal)."""
        return hash((type(self), self.args))


def _rebuild(cls: type[OmakaseError], args: tuple[Any, ...]) -> OmakaseError:
    """Return an error of ``cls`` holding ``args``; unpickling then restores its attributes."""
    error = cls.__new__(cls, *args)
    error.args = args
    return error


class ValidationError(OmakaseError, ValueError):
    """An argument has the wrong type or an impossible value; ``field`` names it.

    ``problem``, when the check knows it, says what is wrong in one of the words of
    :data:`~omakase_core._explain.PROBLEMS` (``"required"``, ``"too_long"`` with ``limit``,
    ``"email"``, …), so that :meth:`explain` can tell the portal's user why in Japanese
    (「「名前」は200文字以内で入力してください」); without it the sentence names the field and
    the rule only.
    """

    field: str
    problem: str | None = None
    limit: int | None = None

    def __init__(
        self,
        message: str,
        *,
        field: str,
        rule: str | None = None,
        problem: str | None = None,
        limit: int | None = None,
    ) -> None:
        self.field = field
        if problem is not None:
            self.problem = problem
        if limit is not None:
            self.limit = limit
        super().__init__(message, rule=rule)

    def _explain_ja(self) -> str:
        name = label(FIELD_LABELS, self.field)
        template = PROBLEMS.get(self.problem) if isinstance(self.problem, str) else None
        if template is not None and ("{limit}" not in template or type(self.limit) is int):
            return _ja(self.rule, template.format(field=name, limit=self.limit))
        what = f"「{name}」の値を受け付けられません"
        return _ja(self.rule, f"{what}。入力内容を確認して、もう一度お試しください。")


class NaiveDatetimeError(OmakaseError, ValueError):
    """A datetime without a time zone was given where an instant is required (CAL-1).

    ``field`` names the argument that was naive.
    """

    field: str

    def __init__(self, *, field: str) -> None:
        self.field = field
        super().__init__(
            f"{_name(field)} is a naive datetime; give an aware datetime "
            "(for example with tzinfo=omakase_core.calendar.JST) so its instant is unambiguous",
            rule="CAL-1",
        )

    def _explain_ja(self) -> str:
        return (
            f"{rule_phrase(self.rule)}: 「{label(FIELD_LABELS, self.field)}」にタイムゾーンのない"
            "日時が渡されたため、時刻を確定できません。日本時間などタイムゾーン付きの日時を"
            "指定してください。"
        )


class CalendarRangeError(OmakaseError, ValueError):
    """A date falls outside the years the holiday calendar is known for (CAL-8).

    ``year`` is the offending year and ``first_year``/``last_year`` the supported range.
    """

    year: int
    first_year: int
    last_year: int

    def __init__(self, *, year: int, first_year: int, last_year: int, what: str) -> None:
        self.year = year
        self.first_year = first_year
        self.last_year = last_year
        super().__init__(
            f"{_name(what, 2 * EXCERPT_LENGTH)} falls in {excerpt(year)}, "
            f"outside the supported years {excerpt(first_year)}-{excerpt(last_year)} "
            "for which Japanese holidays are known",
            rule="CAL-8",
        )

    def _explain_ja(self) -> str:
        return (
            f"{rule_phrase(self.rule)}: {excerpt(self.year)}年は祝日が分かる"
            f"{excerpt(self.first_year)}年から{excerpt(self.last_year)}年の範囲外のため、"
            "日付を計算できません。範囲内の日付を指定してください。"
        )


class InvalidTransition(OmakaseError, ValueError):
    """An event was sent in a status where it cannot happen.

    ``state`` is the status (English name), ``event`` the event id and ``lifecycle`` the
    lifecycle's name; ``state_label`` the status's Japanese label when the refusal knows it.
    ``reason``, when a guard refused for a reason of its own rather than "the status does
    not allow this event", is one of the words of :data:`~omakase_core._explain.REASONS`
    (``"after_construction"``, ``"through_sales"``, …): :meth:`explain` then says why and
    what to do instead of asking to reload the screen.
    """

    state: str
    event: str | None
    lifecycle: str
    state_label: str | None
    reason: str | None = None

    def __init__(  # noqa: PLR0913  # keyword-only: one argument per field the error carries
        self,
        message: str,
        *,
        state: str,
        event: str | None,
        lifecycle: str,
        rule: str | None = None,
        state_label: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.state = state
        self.event = event
        self.lifecycle = lifecycle
        self.state_label = state_label
        if reason is not None:
            self.reason = reason
        super().__init__(message, rule=rule)

    def _explain_ja(self) -> str:
        what = label(LIFECYCLE_LABELS, self.lifecycle)
        event = "この操作" if self.event is None else f"操作「{label(EVENT_LABELS, self.event)}」"
        why = REASONS.get(self.reason) if isinstance(self.reason, str) else None
        return _ja(
            self.rule,
            f"{what}が「{_state_ja(self.state, self.state_label)}」の状態では、"
            f"{event}はできません。"
            + (why or "画面を再読み込みして、現在の状態を確認してください。"),
        )


class PermissionDenied(OmakaseError, PermissionError):
    """The actor may not do what it asked for; ``actor``, ``event`` and ``state`` say what.

    ``state_label``, ``actor_label`` and ``event_label`` are the Japanese words of the
    status, the actor and the action when the refusal knows them (a domain's role or
    action has its portal's word); otherwise :meth:`explain` uses the library's tables.
    """

    actor: str
    event: str
    state: str | None
    state_label: str | None
    actor_label: str | None
    event_label: str | None

    def __init__(  # noqa: PLR0913  # keyword-only: one argument per field the error carries
        self,
        message: str,
        *,
        actor: str,
        event: str,
        state: str | None = None,
        rule: str | None = None,
        state_label: str | None = None,
        actor_label: str | None = None,
        event_label: str | None = None,
    ) -> None:
        self.actor = actor
        self.event = event
        self.state = state
        self.state_label = state_label
        self.actor_label = actor_label
        self.event_label = event_label
        super().__init__(message, rule=rule)

    def _explain_ja(self) -> str:
        who = label(ACTOR_LABELS, self.actor if self.actor_label is None else self.actor_label)
        what = label(EVENT_LABELS, self.event if self.event_label is None else self.event_label)
        where = (
            "" if self.state is None else f"「{_state_ja(self.state, self.state_label)}」の状態で"
        )
        return _ja(
            self.rule,
            f"{who}には、{where}操作「{what}」を行う権限がありません。"
            "権限のある方に操作を依頼してください。",
        )


class DeadlinePassed(OmakaseError, ValueError):
    """A command came at or after the deadline that allowed it; ``deadline`` is that instant."""

    deadline: datetime
    at: datetime

    def __init__(self, message: str, *, deadline: datetime, at: datetime, rule: str) -> None:
        self.deadline = deadline
        self.at = at
        super().__init__(message, rule=rule)

    def _explain_ja(self) -> str:
        phrase = rule_phrase(self.rule)
        deadline = format_deadline_ja(self.deadline)
        if phrase.endswith("期限）"):  # "CON-4（利用再開の期限）": name the deadline by the rule
            name, _, _ = phrase[:-1].partition("（")
            passed = f"{name}: {phrase[len(name) + 1 : -1]}（{deadline}）を過ぎています"
        else:
            passed = f"{phrase}: 期限（{deadline}）を過ぎています"
        return f"{passed}。期限後はこの操作を受け付けられないため、窓口にご相談ください。"


class ConcurrencyConflict(OmakaseError, RuntimeError):
    """A save was based on a stale version (PORT-2); nothing was written.

    ``aggregate_id`` names the aggregate, ``expected_version`` the version the caller
    loaded (``None`` for an add, which expects nothing stored) and ``actual_version`` the
    one stored (``None`` when nothing is).
    """

    aggregate_id: str
    expected_version: int | None
    actual_version: int | None

    def __init__(
        self, *, aggregate_id: str, expected_version: int | None, actual_version: int | None
    ) -> None:
        self.aggregate_id = aggregate_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        name = _name(aggregate_id)
        if expected_version is None:
            message = (
                f"{name} already exists at version {excerpt(actual_version)}; "
                "it cannot be added again"
            )
        else:
            stored = (
                "does not exist"
                if actual_version is None
                else f"is at version {excerpt(actual_version)}"
            )
            message = (
                f"{name} was loaded at version {excerpt(expected_version)} but {stored}; "
                "reload it and try again"
            )
        super().__init__(message, rule="PORT-2")

    def _explain_ja(self) -> str:
        name = label(FIELD_LABELS, self.aggregate_id)
        if self.expected_version is None:
            what = f"「{name}」はすでに登録されているため、登録し直せません"
        else:
            what = f"「{name}」は画面を開いた後にほかの操作で更新されたため、保存しませんでした"
        return (
            f"{rule_phrase(self.rule)}: {what}。画面を再読み込みしてから、もう一度お試しください。"
        )


class NotFound(OmakaseError, LookupError):
    """No aggregate (or record) with that id exists; ``kind`` and ``id`` say which."""

    kind: str
    id: str

    def __init__(self, *, kind: str, id: str) -> None:  # noqa: A002  # the error's own field
        self.kind = kind
        self.id = id
        super().__init__(f"no {_name(kind)} with id {excerpt(id)} exists")

    def _explain_ja(self) -> str:
        return (
            f"ID {excerpt(self.id)} の{label(KIND_LABELS, self.kind)}は見つかりません。"
            "IDを確認するか、画面を再読み込みしてください。"
        )


class DefinitionError(OmakaseError, TypeError):
    """A lifecycle chart cannot be compiled into a table; ``chart`` names it."""

    chart: str

    def __init__(self, message: str, *, chart: str) -> None:
        self.chart = chart
        super().__init__(message)

    def _explain_ja(self) -> str:
        return (
            f"状態遷移の定義「{label(FIELD_LABELS, self.chart)}」に誤りがあるため、使えません。"
            "システムの開発者に連絡してください。"
        )


class DecodeError(OmakaseError, ValueError):
    """Stored data cannot be decoded (PORT-7); nothing was guessed and nothing was returned.

    ``type_name`` is the stored type name the data declared (``"contract.Contract"``, at most
    a short excerpt of an unknown one), or ``None`` when the text names no type.
    ``field`` says where the data is malformed: a path inside the type's data
    (``"contractor.email"``, ``"documents[0].details"``), an envelope key (``"type"``,
    ``"schema"``, ``"data"``) when the envelope itself is, or ``None`` when the text is not a
    stored envelope at all.
    """

    type_name: str | None
    field: str | None

    def __init__(
        self, message: str, *, type_name: str | None = None, field: str | None = None
    ) -> None:
        self.type_name = type_name
        self.field = field
        super().__init__(message, rule="PORT-7")

    def _explain_ja(self) -> str:
        what = "" if self.type_name is None else f"「{label(FIELD_LABELS, self.type_name)}」"
        where = "" if self.field is None else f"（{label(FIELD_LABELS, self.field)}の箇所）"
        return (
            f"{rule_phrase(self.rule)}: 保存されたデータ{what}{where}を読み込めなかったため、"
            "何も返しませんでした。システム管理者に連絡してください。"
        )


class StoreUnavailable(OmakaseError, RuntimeError):
    """The store cannot serve the command now (PORT-5): it is closed, unreachable or failing.

    ``store`` names the store (``"SqliteStore"``, ``"PostgresStore"``) and ``reason`` says
    why in a few words of the library's own (never a connection string, a password or the
    driver's text): closed, the database server cannot be reached, the database is locked
    past its busy timeout, an I/O error. The driver's exception is the ``__cause__``, so a
    log keeps it. The command's transaction was rolled back, so nothing was changed — save
    when the connection was lost while the database was committing, which no client can
    tell: a retried ``save`` is then refused by its version check (PORT-2) if the first one
    had committed. Trying again later may succeed; nothing in the input needs changing.
    """

    store: str
    reason: str

    def __init__(self, *, store: str, reason: str) -> None:
        self.store = store
        self.reason = reason
        super().__init__(
            f"{_name(store)} cannot serve this command now: {_name(reason, 2 * EXCERPT_LENGTH)}",
            rule="PORT-5",
        )

    def _explain_ja(self) -> str:
        return (
            f"{rule_phrase(self.rule)}: 現在データを保存・読み込みできないため、操作を完了"
            "できませんでした。しばらくしてから、もう一度お試しください。"
        )


HTTP_STATUS: Final[MappingProxyType[type[OmakaseError], int]] = MappingProxyType(
    {
        ValidationError: 422,
        NaiveDatetimeError: 422,
        CalendarRangeError: 422,
        NotFound: 404,
        PermissionDenied: 403,
        ConcurrencyConflict: 409,
        InvalidTransition: 409,
        DeadlinePassed: 409,
        DecodeError: 500,
        DefinitionError: 500,
        StoreUnavailable: 503,
    }
)
"""The HTTP status a web handler answers each error with, by class (read-only).

A caller's refusal is a 4xx: bad input (``ValidationError`` and its domain subclasses such
as ``PasswordPolicyError``, a naive datetime CAL-1, a date outside the calendar CAL-8) is
422; an aggregate that does not exist, or that the principal may not see (SEC-1), 404; an
actor who may not act, 403; a stale version (PORT-2), an event the status does not allow
and a deadline that has passed (CON-4 and the like: the request was well formed, the
resource's state in time refuses it) are 409. Stored data that does not decode (PORT-7) and
a chart that does not compile are the server's fault, 500; a store that cannot serve the
command now (closed, unreachable, locked or failing, PORT-5) is 503: the request may succeed
later, unchanged. A domain subclass is not listed:
:func:`http_status` resolves it through its class's MRO (the core imports no domain).
"""


def http_status(error: OmakaseError) -> int:
    """Return the HTTP status for ``error``: its nearest class in :data:`HTTP_STATUS` (by MRO).

    >>> http_status(NotFound(kind="contract", id="c-1"))
    404
    >>> class TooLong(ValidationError):  # a domain's subclass resolves to its base's status
    ...     pass
    >>> http_status(TooLong("too long", field="name", rule="SEC-2"))
    422

    An error of no listed class (a bare ``OmakaseError``) is the server's fault, 500.
    Anything but an ``OmakaseError`` is a ``ValidationError`` naming ``error``.
    """
    given: type = type(error)  # checked at run time: a caller may pass anything
    if not issubclass(given, OmakaseError):
        msg = f"error must be an OmakaseError, not {excerpt(given.__name__)}"
        raise ValidationError(msg, field="error")
    for cls in given.__mro__:
        status = HTTP_STATUS.get(cls)
        if status is not None:
            return status
    return 500
