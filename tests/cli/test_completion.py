"""`completion SHELL` and `man`: made from the same clap definitions as `--help`, so a subcommand added
later is completed and documented without a hand-kept copy. The packages install both
(tests/package/test_deb.py)."""
from __future__ import annotations

import os
import subprocess

import pytest

from tba_cli_support import binary_path, clean_env


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary_path()), *args], capture_output=True, text=True, timeout=60, env=clean_env())


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell", "elvish"])
def test_each_shell_gets_a_script_naming_every_subcommand(shell):
    run = cli("completion", shell)
    assert run.returncode == 0, run.stderr
    for sub in ("connections", "migrate", "m2m", "status", "completion"):
        assert sub in run.stdout, f"{shell}: {sub} is not completed"


def test_bash_completes_a_subcommand_and_an_option():
    script = cli("completion", "bash").stdout
    def complete(*words: str) -> list[str]:
        words_text = " ".join(f"'{w}'" for w in ("tba-wizard-cli", *words))
        run = subprocess.run(
            ["bash", "-c", f"{script}\nCOMP_WORDS=({words_text}); COMP_CWORD={len(words)}; "
                           f"_tba_wizard_cli tba-wizard-cli '{words[-1]}' '{words[-2] if len(words) > 1 else 'tba-wizard-cli'}'; "
                           "printf '%s\\n' \"${COMPREPLY[@]}\""],
            capture_output=True, text=True, timeout=30)
        assert run.returncode == 0, run.stderr
        return run.stdout.split()
    assert complete("conn") == ["connections"]
    # A subcommand's own option: what clap_complete's script misses for a hyphenated name (clap#6421).
    assert "--pending" in complete("test", "--pen")
    assert "complete -F _tba_wizard_cli" in script and script.rstrip().endswith("tba-wizard-cli\nfi")


def test_an_unknown_shell_is_refused_without_echoing_it_and_the_help_names_the_shells():
    run = cli("completion", "tcsh")
    assert run.returncode == 2
    assert "tcsh" not in run.stderr and "--help" in run.stderr, "the value typed is not echoed (it could be a secret)"
    assert all(s in cli("completion", "--help").stdout for s in ("bash", "zsh", "fish", "powershell"))


def test_the_man_page_renders_and_lists_the_subcommands():
    roff = cli("man")
    assert roff.returncode == 0 and roff.stdout.startswith(".ie"), roff.stderr
    page = subprocess.run(["man", "-P", "cat", "-l", "-"], input=roff.stdout, capture_output=True, text=True,
                          timeout=30, env=dict(os.environ, MANWIDTH="100"))
    assert page.returncode == 0, page.stderr
    for sub in ("connections", "migrate", "m2m", "completion"):
        assert sub in page.stdout, sub
