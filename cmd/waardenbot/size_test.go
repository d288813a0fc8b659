package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The Mattermost adapter speaks the REST API with a client of its own
// (adapters/mattermost/rest.go), with structs that hold only the fields it
// uses. A type of Mattermost's model package in an interface keeps all of
// its methods and what they reach: model.Client4 held by the adapter in an
// interface brought about 1,300 methods (see postFunc), and a
// *model.PostPatch passed to encoding/json brought Mattermost's whole
// markdown parser.
func TestBinaryLinksNoMattermostRESTClientNorMarkdownParser(t *testing.T) {
	out, err := exec.Command("go", "tool", "nm", binary(t)).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	nm := string(out)
	if !strings.Contains(nm, "/server/public/model.(*WebSocketClient).") {
		t.Fatal("go tool nm lists no method of model.WebSocketClient, which the adapter uses: is this still the bot's binary?")
	}
	for _, s := range []string{"/server/public/model.(*Client4).", "/server/public/shared/markdown.Parse"} {
		if n := strings.Count(nm, s); n > 0 {
			t.Errorf("the binary has %d symbols %s…", n, s)
		}
	}
}
