//go:build e2e

package mattermost

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// casusPoll checks a casus poll on the real server: three users click its
// buttons, one changes their vote and one types /stem, under the post edit
// time limit; a forged click and a non-creator's close are refused; the
// creator closes it through the confirmation dialog.
func (s *e2eServer) casusPoll(t *testing.T, ctx context.Context, addr string) {
	// The post edit time limit (1 s, set above) passes before the
	// first click: the bot keeps the message and patches only the
	// attachment.
	anna, annaUser := s.user(t, ctx, "anna")
	bob, _ := s.user(t, ctx, "bob")
	carla, _ := s.user(t, ctx, "carla")
	since := model.GetMillis() - 1
	resp := must[*model.CommandResponse](t, "/casus")(anna.ExecuteCommand(ctx, s.channel.Id, "/casus Zetten we camera's met gezichtsherkenning in op het stationsplein? | privacy, veiligheid, gelijkheid"))
	if resp.Text != "" {
		t.Fatalf("the command answered %q; want the poll as the bot's post", resp.Text)
	}
	poll := s.botPostAfter(t, ctx, s.channel.Id, since, "gezichtsherkenning", 10*time.Second)
	if got := buttonNames(poll); len(got) != 4 || got[0] != "Privacy · 0" {
		t.Fatalf("buttons %q", got)
	}
	time.Sleep(1500 * time.Millisecond) // past the edit time limit

	clicks := []struct {
		who    *model.Client4
		action string
	}{
		{anna, "v0"}, {bob, "v0"}, {carla, "v1"},
		{carla, "v1"}, {carla, "v2"}, // carla changes her vote from Veiligheid to Gelijkheid
	}
	for _, c := range clicks {
		if _, err := c.who.DoPostAction(ctx, poll.Id, c.action); err != nil {
			t.Fatalf("click %s: %v", c.action, err)
		}
	}
	want := []string{"Privacy · 2", "Veiligheid · 0", "Gelijkheid · 1", "Sluit de peiling"}
	now := must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
	if got := buttonNames(now); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after the clicks the post shows %q, want %q", got, want)
	}
	if now.Message != poll.Message {
		t.Errorf("the message changed:\n%q\n%q", now.Message, poll.Message)
	}

	// A vote typed with /stem redraws the post too: the bot patches
	// its own post, keeping the message.
	pollID := strings.Trim(strings.Fields(strings.SplitN(poll.Message, "\n", 2)[0])[3], "`")
	must[*model.CommandResponse](t, "/stem")(bob.ExecuteCommand(ctx, s.channel.Id, "/stem "+pollID+" gelijkheid"))
	want = []string{"Privacy · 1", "Veiligheid · 0", "Gelijkheid · 2", "Sluit de peiling"}
	deadline := time.Now().Add(10 * time.Second)
	for {
		now = must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
		if strings.Join(buttonNames(now), "|") == strings.Join(want, "|") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after /stem the post shows %q, want %q", buttonNames(now), want)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if now.Message != poll.Message {
		t.Errorf("the redraw after /stem changed the message")
	}

	// A forged click, straight at the bot, with a context the bot did
	// not sign: refused, and nothing changes.
	forged := model.PostActionIntegrationRequest{
		UserId: annaUser.Id, UserName: "anna", ChannelId: s.channel.Id, TeamId: s.team.Id, PostId: poll.Id, Type: "button",
		Context: map[string]any{"op": "vote", "poll": pollID, "option": "veiligheid", "team": s.team.Id, "channel": s.channel.Id, "mac": strings.Repeat("00", 32)},
	}
	body, _ := json.Marshal(forged)
	hr, err := http.Post("http://"+addr+"/mattermost/action", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var fr model.PostActionIntegrationResponse
	json.NewDecoder(hr.Body).Decode(&fr)
	hr.Body.Close()
	if fr.Update != nil || !strings.Contains(fr.EphemeralText, "niet (meer) geldig") {
		t.Errorf("forged click: status %d, update %v, ephemeral %q", hr.StatusCode, fr.Update != nil, fr.EphemeralText)
	}
	now = must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
	if got := buttonNames(now); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after the forged click the post shows %q, want %q", got, want)
	}

	// The close button asks for confirmation in a dialog. bob did not
	// start the poll: his confirmed close is refused in the dialog.
	if got := s.closeWithDialog(t, ctx, bob, poll.Id); !strings.Contains(got.Error, "kan alleen sluiten") {
		t.Errorf("bob's confirmed close: %+v", got)
	}
	now = must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
	if got := buttonNames(now); len(got) != 4 {
		t.Errorf("bob closed anna's poll: buttons %q", got)
	}

	closedAt := model.GetMillis() - 1
	if got := s.closeWithDialog(t, ctx, anna, poll.Id); got.Error != "" {
		t.Fatalf("anna's confirmed close: %q", got.Error)
	}
	result := s.botPostAfter(t, ctx, s.channel.Id, closedAt, "Uitslag van peiling", 10*time.Second)
	if !strings.Contains(result.Message, "**Privacy** (Vrijheid): 1 stem (") {
		t.Errorf("result post:\n%s", result.Message)
	}
	s.waitButtons(t, ctx, poll.Id, 0)
	now = must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
	if atts := now.Attachments(); len(atts) != 1 || !strings.Contains(atts[0].Text, "Per cluster") {
		t.Errorf("the closed poll's attachment does not show the result: %+v", atts)
	}
	t.Logf("poll %s: 5 clicks, a typed vote, a forged click and a refused close; closed by its creator after the confirmation dialog", pollID)
}
