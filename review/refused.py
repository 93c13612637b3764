"""A refused post brought back to the page it came from, for the pages whose small forms are written out in
their templates: what was sent stays on screen and the message stands beside the field at fault."""

from dataclasses import dataclass

from django.http import QueryDict


@dataclass(frozen=True)
class Refused:
    values: QueryDict  # what was posted
    field: str  # the field at fault ("" when the refusal is about the whole form)
    message: str
    target: int | str | tuple | None = None  # the row (or action) whose form it was, on pages with many forms

    @property
    def ticked(self):
        """The ticked rows' ids, as the template compares them."""
        return set(self.values.getlist("ids"))
