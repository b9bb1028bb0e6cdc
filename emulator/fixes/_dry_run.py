"""Shared by the ec2_dry_run_* fixes (a helper, not a fix: apply_all skips `_` modules)."""


def dry_run_first(handler):
    """The response handler, answering DryRunOperation / UnauthorizedOperation before it acts."""

    def handler_honouring_dry_run(self):
        self.error_on_dryrun()
        return handler(self)

    return handler_honouring_dry_run
