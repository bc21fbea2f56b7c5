"""The Well-Architected calls the provider makes, each retried within the Lambda's time."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from lens_share import retry

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient
    from mypy_boto3_wellarchitected.type_defs import (
        LensShareSummaryTypeDef,
        LensSummaryTypeDef,
        ShareInvitationSummaryTypeDef,
    )

T = TypeVar("T")

# The service refuses pages larger than 10, whatever its model says.
PAGE_SIZE = 10

# Called with (operation, seconds, error code or "") after each call, for metrics.
Observer = Callable[[str, float, str], None]


def _ignore(_operation: str, _seconds: float, _outcome: str) -> None:
    return None


def pages(fetch: Callable[..., Mapping[str, Any]], items: str, **kwargs: Any) -> Iterator[Any]:
    """Every item of a paged AWS listing: fetch(**kwargs) again with each NextToken until a page has none."""
    while True:
        page = fetch(**kwargs)
        yield from page.get(items, [])
        if not page.get("NextToken"):
            return
        kwargs["NextToken"] = page["NextToken"]


@dataclass
class WellArchitected:
    client: WellArchitectedClient
    deadline: retry.Deadline
    backoff: retry.Backoff
    observe: Observer = _ignore

    def _call(self, operation: str, fn: Callable[[], T]) -> T:
        def timed() -> T:
            started = time.perf_counter()
            outcome = ""
            try:
                return fn()
            except Exception as error:
                # Connection errors carry no response, only a type.
                response = getattr(error, "response", None) or {}
                outcome = response.get("Error", {}).get("Code", type(error).__name__)
                raise
            finally:
                self.observe(operation, time.perf_counter() - started, outcome)

        return retry.call(operation, timed, self.deadline, self.backoff)

    def create_lens_share(self, lens_arn: str, shared_with: str, token: str) -> str:
        response = self._call(
            "CreateLensShare",
            lambda: self.client.create_lens_share(LensAlias=lens_arn, SharedWith=shared_with, ClientRequestToken=token),
        )
        return response["ShareId"]

    def delete_lens_share(self, lens_arn: str, share_id: str, token: str) -> None:
        self._call(
            "DeleteLensShare",
            lambda: self.client.delete_lens_share(LensAlias=lens_arn, ShareId=share_id, ClientRequestToken=token),
        )

    def _pages(self, operation: str, fetch: Callable[..., Any], items: str, **kwargs: Any) -> Iterator[Any]:
        """Every item of a listing, page by page, each page its own retried call."""
        return pages(lambda **page: self._call(operation, lambda: fetch(**page)), items, MaxResults=PAGE_SIZE, **kwargs)

    def lens_shares(self, lens_arn: str, shared_with_prefix: str = "") -> Iterator[LensShareSummaryTypeDef]:
        prefix = {"SharedWithPrefix": shared_with_prefix[:100]} if shared_with_prefix else {}
        return self._pages(
            "ListLensShares", self.client.list_lens_shares, "LensShareSummaries", LensAlias=lens_arn, **prefix
        )

    def own_lenses(self) -> Iterator[LensSummaryTypeDef]:
        """The custom lenses this account owns in the Region, drafts included."""
        return self._pages("ListLenses", self.client.list_lenses, "LensSummaries", LensType="CUSTOM_SELF")

    def lens(self, lens_arn: str) -> None:
        self._call("GetLens", lambda: self.client.get_lens(LensAlias=lens_arn))

    def organization_sharing_status(self) -> str:
        response = self._call("GetGlobalSettings", self.client.get_global_settings)
        return str(response.get("OrganizationSharingStatus", "DISABLED"))

    def set_organization_sharing_status(self, status: str) -> None:
        self._call(
            "UpdateGlobalSettings",
            lambda: self.client.update_global_settings(OrganizationSharingStatus=status),  # type: ignore[arg-type]
        )

    def lens_share_invitations(self) -> Iterator[ShareInvitationSummaryTypeDef]:
        return self._pages(
            "ListShareInvitations",
            self.client.list_share_invitations,
            "ShareInvitationSummaries",
            ShareResourceType="LENS",
        )

    def accept_share_invitation(self, invitation_id: str) -> None:
        self._call(
            "UpdateShareInvitation",
            lambda: self.client.update_share_invitation(
                ShareInvitationId=invitation_id, ShareInvitationAction="ACCEPT"
            ),
        )
