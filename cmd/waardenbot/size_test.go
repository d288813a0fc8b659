package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The posters hold each adapter's Post method, not the adapter (see
// postFunc): then the linker leaves out the methods of Mattermost's client
// that the adapter never calls. Holding the adapter in an interface brought
// back all of them, about 1,300.
func TestBinaryLeavesOutUnusedMattermostClientMethods(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "waardenbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	n := strings.Count(string(out), "/server/public/model.(*Client4).")
	if n == 0 || n > 200 {
		t.Fatalf("the binary has %d methods of model.Client4; the adapter calls a few dozen", n)
	}
	t.Logf("%d methods of model.Client4 linked", n)
}
