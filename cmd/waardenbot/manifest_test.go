package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestManifestSlackPrintsTheManifestInTheConfiguredLanguage(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "adapters", "slack", "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // no waardenbot.toml: the defaults
	out, errOut, code := run(t, "", nil, "manifest", "slack")
	if code != exitOK || out != string(want) {
		t.Errorf("manifest slack: exit %d, stderr %q; output differs from adapters/slack/manifest.yaml:\n%s", code, errOut, out)
	}
	out, _, _ = run(t, "", []string{"WAARDENBOT_LANG=en"}, "manifest", "slack")
	if !strings.Contains(out, `usage_hint: "[name]"`) || !strings.Contains(out, "should_escape: false") {
		t.Errorf("English manifest:\n%s", out)
	}
	if _, errOut, code := run(t, "", nil, "manifest", "teams"); code != exitUsage || !strings.Contains(errOut, "manifest slack") {
		t.Errorf("manifest teams: exit %d, stderr %q", code, errOut)
	}
}
