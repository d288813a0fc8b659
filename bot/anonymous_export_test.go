package bot_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

// TestAnAnonymousPollsFilesNameNobody greps every file of an anonymous
// poll, in the chat and from the command line, for the user IDs and names
// of its creator and voters, and for the keyed hashes the store keeps in
// their place.
func TestAnAnonymousPollsFilesNameNobody(t *testing.T) {
	f := newFixture(t, bot.Config{})
	people := map[string]string{"U0ANNA7Q": "Anna de Vries", "U0BOB42X": "Bob Janssen", "U0CARLA9": "Carla Öztürk"}
	as := func(user string) bot.Request {
		return bot.Request{Platform: "slack", Team: "T1", Channel: "C1", User: user, UserName: people[user]}
	}
	ctx := context.Background()
	start := f.bot.HandleText(ctx, as("U0ANNA7Q"), "/casus anoniem max=2 Mag de gemeente camera's ophangen? | privacy, orde, gelijkheid")
	if start.Poll == nil {
		t.Fatal(start.Text)
	}
	id := start.Poll.ID
	f.bot.HandleText(ctx, as("U0BOB42X"), "/stem "+id+" privacy, orde")
	f.bot.HandleText(ctx, as("U0CARLA9"), "/stem "+id+" privacy")
	f.bot.HandleText(ctx, as("U0ANNA7Q"), "/stem "+id+" gelijkheid")

	var files []bot.File
	collect := func(what string, r bot.Reply) {
		if len(r.Files) == 0 {
			t.Errorf("%s: no file (%s)", what, r.Text)
		}
		files = append(files, r.Files...)
	}
	collect("/sluit", f.bot.HandleText(ctx, as("U0ANNA7Q"), "/sluit "+id))
	for _, word := range []string{"grafiek", "csv", "paragraaf"} {
		collect(word, f.bot.HandleText(ctx, as("U0BOB42X"), "/uitslag "+id+" "+word))
	}
	collect("/peilingen csv", f.bot.HandleText(ctx, as("U0CARLA9"), "/peilingen csv"))
	for _, format := range bot.ExportFormats {
		file, err := f.bot.ExportPoll(ctx, id, format)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	file, err := f.bot.ExportChannel(ctx, "C1")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, file)
	if r := f.bot.HandleText(ctx, as("U0ANNA7Q"), "/uitslag "+id+" stemmen"); len(r.Files) != 0 {
		t.Errorf("who voted what in an anonymous poll: %s", r.Files[0].Name)
	}

	// What the store keeps in place of the creator: a keyed hash, which
	// must not leave it either.
	p, _, err := f.st.Poll(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hex.DecodeString(p.Creator); err != nil || len(p.Creator) != 64 {
		t.Fatalf("the store keeps %q as the creator of an anonymous poll", p.Creator)
	}
	secrets := []string{p.Creator, p.Creator[:16]}
	for user, name := range people {
		secrets = append(secrets, user, name, strings.Fields(name)[0], strings.ToLower(user))
	}
	if len(files) != 12 {
		t.Errorf("%d files checked, want 12", len(files))
	}
	for _, file := range files {
		for _, s := range secrets {
			if bytes.Contains(bytes.ToLower(file.Data), bytes.ToLower([]byte(s))) || strings.Contains(file.Alt, s) || strings.Contains(file.Name, s) {
				t.Errorf("%s contains %q", file.Name, s)
			}
		}
	}
}
