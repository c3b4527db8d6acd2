"""Input expansion: folders, globs, ignore files, missing paths, content hashes."""

from wiredesk.engine.sources import expand, fingerprint_file


def test_folder_expansion_honours_ignore_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "sub" / "b.html").write_text("<p>two</p>")
    (tmp_path / "README.md").write_text("not news")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / ".wiredeskignore").write_text("# not articles\nREADME.md\n")
    names = [s.path for s in expand([str(tmp_path)])]
    assert names == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.html")]


def test_globs_missing_paths_and_hashes(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "b.txt").write_text("one")
    sources = expand([str(tmp_path / "*.txt"), str(tmp_path / "nope.txt"), str(tmp_path / "*.csv")])
    assert [s.error for s in sources] == [None, None, "no such file or folder", "no file matches this pattern"]
    a, b = (fingerprint_file(s) for s in sources[:2])
    assert a.sha256 == b.sha256 and a.size == 3


def test_unreadable_file_is_an_error_not_a_crash(tmp_path):
    import os

    p = tmp_path / "locked.txt"
    p.write_text("secret")
    p.chmod(0)
    try:
        src = fingerprint_file(expand([str(p)])[0])
        if os.geteuid() == 0:  # root reads anything; the error path is covered by the missing file below
            assert src.error is None
        else:
            assert "cannot read" in src.error
    finally:
        p.chmod(0o644)
    gone = fingerprint_file(type(src)(path=str(tmp_path / "vanished.txt")))
    assert "cannot read file" in gone.error
