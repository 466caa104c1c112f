"""The error raised for bad user input; the command line maps it to exit code 2."""


class HostgenError(Exception):
    """A problem with the arguments: reported on one line, exit status 2."""
