package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The posters hold each adapter's Post method, not the adapter (see
// postFunc): then the linker leaves out the methods of Mattermost's client
// that the adapter never calls. Holding the adapter in an interface brought
// back all of them, about 1,300.
func TestBinaryLeavesOutUnusedMattermostClientMethods(t *testing.T) {
	out, err := exec.Command("go", "tool", "nm", binary(t)).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	n := strings.Count(string(out), "/server/public/model.(*Client4).")
	if n == 0 || n > 200 {
		t.Fatalf("the binary has %d methods of model.Client4; the adapter calls a few dozen", n)
	}
	t.Logf("%d methods of model.Client4 linked", n)
}
