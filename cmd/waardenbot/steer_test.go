package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestAskShowsTheNewPollFieldsInJSON runs issue 13's commands through ask
// and reads the fields --json adds: who added a value, the link between
// a poll and its repeat, and the shift.
func TestAskShowsTheNewPollFieldsInJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	run := func(user, command string) (map[string]any, int) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := runMain(context.Background(), []string{"ask", "--db", db, "--user", user, "--channel", "raad", "--json", command}, strings.NewReader(""), &out, &errOut, nil)
		var r map[string]any
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v: %s %s", command, err, out.String(), errOut.String())
		}
		return r, code
	}
	poll := func(r map[string]any) map[string]any { p, _ := r["poll"].(map[string]any); return p }

	r, _ := run("anna", "/casus aanvullen Mag de gemeente inkomensgegevens gebruiken om de energietoeslag automatisch toe te kennen? | bestaanszekerheid, privacy")
	first := poll(r)["id"].(string)
	if poll(r)["open"] != true || poll(r)["participation"] != nil {
		t.Errorf("a new poll on the console: %v", poll(r))
	}
	r, code := run("carla", "/optie "+first+" leefbaarheid")
	opts := poll(r)["options"].([]any)
	if added := opts[2].(map[string]any); code != 0 || added["added"] != true || added["added_by"] != "carla" {
		t.Errorf("/optie: exit %d %v", code, added)
	}
	run("bob", "/stem "+first+" privacy")
	if r, code := run("anna", "/wijzig "+first+" anoniem=nee"); code != 1 || !strings.Contains(r["text"].(string), "verandert nooit") {
		t.Errorf("/wijzig anoniem: exit %d %v", code, r["text"])
	}
	r, _ = run("bob", "/casus opnieuw "+first)
	second := poll(r)["id"].(string)
	if poll(r)["repeats"] != first {
		t.Errorf("repeat: %v", poll(r))
	}
	run("bob", "/stem "+second+" leefbaarheid")
	r, _ = run("anna", "/uitslag "+second)
	shift, _ := poll(r)["shift"].(map[string]any)
	if shift == nil || shift["from"] != first {
		t.Fatalf("no shift: %v", poll(r))
	}
	if o := shift["options"].([]any)[0].(map[string]any); o["key"] != "leefbaarheid" || o["before"] != 0.0 || o["after"] != 100.0 {
		t.Errorf("shift of leefbaarheid: %v", o)
	}
	if r, _ := run("anna", "/uitslag "+first); poll(r)["repeated_by"].([]any)[0] != second {
		t.Errorf("the first poll: %v", poll(r))
	}
	if r, code := run("anna", "/casus"); code != 1 || !strings.Contains(r["text"].(string), "Typ na het commando de tekst") {
		t.Errorf("/casus without text in ask: exit %d %v", code, r["text"])
	}
}
