"""Updating the course keeps the learner's edited notebooks, progress and scratch files."""

import subprocess

import course


def git(folder, *args):
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True).stdout


def published_course(tmp_path):
    """A course repository with one notebook, and a learner's clone of it."""
    upstream, learner = tmp_path / "upstream", tmp_path / "learner"
    (upstream / "notebooks").mkdir(parents=True)
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "config", "user.email", "teacher@example.org")
    git(upstream, "config", "user.name", "teacher")
    (upstream / "notebooks" / "01-a.ipynb").write_text("course v1\n")
    git(upstream, "add", ".")
    git(upstream, "commit", "-qm", "v1")
    git(tmp_path, "clone", "-q", str(upstream), str(learner))
    return upstream, learner


def test_update_keeps_a_copy_of_each_changed_notebook_and_pulls_the_new_course(tmp_path):
    upstream, learner = published_course(tmp_path)
    (learner / "notebooks" / "01-a.ipynb").write_text("course v1 with my answer\n")
    (learner / "my-work").mkdir()
    (learner / "my-work" / "progress.json").write_text('{"exercises": {}}')
    (upstream / "notebooks" / "01-a.ipynb").write_text("course v2\n")
    git(upstream, "commit", "-qam", "v2")

    assert course.update(learner, stamp="now") == 0

    assert (learner / "notebooks" / "01-a.ipynb").read_text() == "course v2\n"
    assert (learner / "my-work" / "saved-now" / "01-a.ipynb").read_text() == "course v1 with my answer\n"
    assert (learner / "my-work" / "progress.json").read_text() == '{"exercises": {}}'


def test_update_with_nothing_changed_saves_nothing(tmp_path):
    upstream, learner = published_course(tmp_path)
    assert course.update(learner, stamp="now") == 0
    assert not (learner / "my-work").exists()
