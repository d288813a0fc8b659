package mattermost

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/mattermost/mattermost/server/public/model"
)

func TestSlashCasusPostsThePollAsTheBotWithOneButtonPerOptionAndClose(t *testing.T) {
	fx := newPollFixture(t)
	p := fx.startPoll()
	if p.UserId != botID {
		t.Errorf("the poll post is by %q, want the bot", p.UserId)
	}
	want := []string{"Privacy · 0", "Veiligheid · 0", "Gelijkheid · 0", "Sluit de peiling"}
	if got := buttons(p); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("buttons %q, want %q", got, want)
	}
	idOK := regexp.MustCompile(`^[A-Za-z0-9]+$`)
	for _, att := range p.Attachments() {
		for _, act := range att.Actions {
			if !idOK.MatchString(act.Id) {
				t.Errorf("action ID %q has other characters than letters and digits", act.Id)
			}
		}
	}
	if !strings.Contains(p.Message, "gezichtsherkenning") || regexp.MustCompile(`\d stem`).MatchString(p.Message) {
		t.Errorf("the message should hold the casus and no counts: %q", p.Message)
	}
}

func TestClicksToggleVotesAndUpdateThePostInPlaceWithTheSameMessage(t *testing.T) {
	fx := newPollFixture(t)
	p := fx.startPoll()
	steps := []struct {
		user, action string
		want         []string
	}{
		{"bob", "v0", []string{"Privacy · 1", "Veiligheid · 0", "Gelijkheid · 0"}},
		{"carla", "v0", []string{"Privacy · 2", "Veiligheid · 0", "Gelijkheid · 0"}},
		{"bob", "v1", []string{"Privacy · 2", "Veiligheid · 1", "Gelijkheid · 0"}},
		{"bob", "v0", []string{"Privacy · 1", "Veiligheid · 1", "Gelijkheid · 0"}}, // a second click takes it out
	}
	for _, s := range steps {
		resp := fx.click(p, s.action, s.user, "chan1", nil)
		if resp.Update == nil {
			t.Fatalf("%s %s: no update (ephemeral %q)", s.user, s.action, resp.EphemeralText)
		}
		if resp.EphemeralText != "" {
			t.Errorf("%s %s: ephemeral %q for an accepted click", s.user, s.action, resp.EphemeralText)
		}
		if resp.Update.Message != p.Message {
			t.Errorf("the update changes the message (fails under a post edit time limit):\n%q\n%q", resp.Update.Message, p.Message)
		}
		if got := buttons(resp.Update)[:3]; strings.Join(got, "|") != strings.Join(s.want, "|") {
			t.Errorf("%s %s: buttons %q, want %q", s.user, s.action, got, s.want)
		}
		p.SetProps(resp.Update.GetProps()) // as the server applies it
	}
}

func TestRepeatedCommandOrClickIsDoneOnce(t *testing.T) {
	fx := newPollFixture(t)
	// The same /casus request (one trigger_id) arrives five times at once
	// and twice more after: one poll.
	form := commandForm("cmdtoken", "/casus", "Zetten we camera's in? | privacy, veiligheid")
	form.Set("user_id", "anna")
	form.Set("user_name", "anna")
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() { postCommand(fx.h, form, "Token cmdtoken") })
	}
	wg.Wait()
	for range 2 {
		if rec := postCommand(fx.h, form, "Token cmdtoken"); rec.Code != http.StatusOK {
			t.Fatalf("repeat: status %d", rec.Code)
		}
	}
	posts := fx.f.postsIn("chan1")
	if len(posts) != 1 {
		t.Fatalf("%d posts after one /casus delivered seven times, want 1", len(posts))
	}
	p := posts[0]

	// One click delivered four times toggles the vote once: it counts.
	for range 4 {
		resp := fx.clickWithTrigger(p, "v0", "bob", "chan1", nil, "trigger-bob-once")
		if resp.Update != nil {
			p.SetProps(resp.Update.GetProps())
		}
	}
	if got := buttons(p)[0]; got != "Privacy · 1" {
		t.Errorf("after one click delivered four times the post shows %q, want Privacy · 1", got)
	}
	res := fx.command("bob", "/uitslag "+action(t, p, "v0").Integration.Context["poll"].(string))
	if !strings.Contains(res.Text, "1 stemmer") {
		t.Errorf("the result does not count bob's one vote:\n%s", res.Text)
	}
	// A new click (a new trigger_id) is done.
	resp := fx.click(p, "v0", "bob", "chan1", nil)
	if resp.Update == nil || buttons(resp.Update)[0] != "Privacy · 0" {
		t.Errorf("a second, new click did not take the vote out: %+v", resp)
	}
}

func TestRefusedClicksChangeNothing(t *testing.T) {
	tests := []struct {
		name    string
		channel string
		change  func(map[string]any)
		want    string
	}{
		{"forged MAC", "chan1", func(c map[string]any) { c["mac"] = strings.Repeat("ab", 32) }, "niet (meer) geldig"},
		{"missing MAC", "chan1", func(c map[string]any) { delete(c, "mac") }, "niet (meer) geldig"},
		{"option changed after signing", "chan1", func(c map[string]any) { c["option"] = "gelijkheid" }, "niet (meer) geldig"},
		{"click from another channel", "chan2", nil, "niet (meer) geldig"},
		{"context signed for another channel", "chan2", func(c map[string]any) { c["channel"] = "chan2" }, "niet (meer) geldig"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := newPollFixture(t)
			p := fx.startPoll()
			resp := fx.click(p, "v0", "bob", tc.channel, tc.change)
			if resp.Update != nil || !strings.Contains(resp.EphemeralText, tc.want) {
				t.Errorf("update %v, ephemeral %q; want only a refusal with %q", resp.Update != nil, resp.EphemeralText, tc.want)
			}
			id := action(t, p, "v0").Integration.Context["poll"].(string)
			m := fx.a.bot.PollMessage(context.Background(), id)
			if m.Poll.Voters != 0 {
				t.Errorf("the refused click counted: %d voters", m.Poll.Voters)
			}
		})
	}
}

func TestClickOnAnUnknownPollIsRefusedWithoutUpdate(t *testing.T) {
	fx := newPollFixture(t)
	key, err := fx.a.actionKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// A correctly signed button for a poll the store does not have (a
	// data file that was replaced, say).
	p := &model.Post{Id: "post1", ChannelId: "chan1"}
	p.AddProp(model.PostPropsAttachments, []*model.MessageAttachment{{Actions: []*model.PostAction{{
		Id: "v0", Integration: &model.PostActionIntegration{URL: "https://bot.example" + actionPath,
			Context: click{Op: opVote, Poll: "zzzz", Option: "privacy", Team: teamID, Channel: "chan1"}.context(key)},
	}}}})
	resp := fx.click(p, "v0", "bob", "chan1", nil)
	if resp.Update != nil || !strings.Contains(resp.EphemeralText, "zzzz") {
		t.Errorf("update %v, ephemeral %q", resp.Update != nil, resp.EphemeralText)
	}
}

func TestCloseButtonAsksForConfirmationAndClosesForTheCreatorOnly(t *testing.T) {
	fx := newPollFixture(t)
	p := fx.startPoll()
	fx.click(p, "v0", "bob", "chan1", nil)

	// The close button opens a dialog and changes nothing yet.
	resp := fx.click(p, actionClose, "bob", "chan1", nil)
	if resp.Update != nil || resp.EphemeralText != "" {
		t.Fatalf("the close button did something before the confirmation: update %v, ephemeral %q", resp.Update != nil, resp.EphemeralText)
	}
	d, ok := fx.f.lastDialog()
	if !ok || !strings.HasPrefix(d.TriggerId, "trigger-bob-") || d.Dialog.Title != "Peiling sluiten?" || d.Dialog.SubmitLabel != "Sluiten" {
		t.Fatalf("dialog %+v", d)
	}
	// bob confirms, but he did not start the poll: the dialog says so.
	if got := fx.submitDialog("bob", "chan1", false, nil); !strings.Contains(got.Error, "kan alleen sluiten") {
		t.Errorf("bob's confirmation: %+v", got)
	}
	// A state the bot did not sign, or from another channel, is refused.
	forged := func(s string) string { return strings.Replace(s, `"poll":"`, `"poll":"x`, 1) }
	if got := fx.submitDialog("anna", "chan1", false, forged); !strings.Contains(got.Error, "niet (meer) geldig") {
		t.Errorf("forged state: %+v", got)
	}
	if got := fx.submitDialog("anna", "chan2", false, nil); !strings.Contains(got.Error, "niet (meer) geldig") {
		t.Errorf("state from another channel: %+v", got)
	}
	// anna clicks and cancels: still open.
	fx.click(p, actionClose, "anna", "chan1", nil)
	if got := fx.submitDialog("anna", "chan1", true, nil); got.Error != "" {
		t.Errorf("cancel: %+v", got)
	}
	if n := len(fx.f.postsIn("chan1")); n != 1 {
		t.Fatalf("%d posts after refused and cancelled closes, want the poll only", n)
	}
	if r := fx.command("bob", "/stem "+action(t, p, "v0").Integration.Context["poll"].(string)+" privacy"); strings.Contains(r.Text, "gesloten") {
		t.Fatalf("the poll closed without a confirmation: %s", r.Text)
	}

	// anna confirms: the result is posted and the post loses its buttons.
	fx.click(p, actionClose, "anna", "chan1", nil)
	if got := fx.submitDialog("anna", "chan1", false, nil); got.Error != "" {
		t.Fatalf("anna could not close her poll: %q", got.Error)
	}
	posts := fx.f.postsIn("chan1")
	if len(posts) != 2 || !strings.Contains(posts[1].Message, "Uitslag van peiling") {
		t.Fatalf("want the result posted in the channel; posts: %d", len(posts))
	}
	testkit.WaitFor(t, "the poll post without buttons", func() bool { return len(buttons(fx.f.postsIn("chan1")[0])) == 0 })
	closed := fx.f.postsIn("chan1")[0]
	if closed.Message != p.Message {
		t.Errorf("closing changed the message")
	}
	text := closed.Attachments()[0].Text
	for _, want := range []string{"**Uitslag van peiling", "Privacy** (Vrijheid): 1 stem (", "Per cluster", "Vervolgvragen"} {
		if !strings.Contains(text, want) {
			t.Errorf("the closed attachment lacks %q:\n%s", want, text)
		}
	}

	// A button left over on the post is refused and redraws it closed.
	resp = fx.click(p, "v1", "carla", "chan1", nil)
	if resp.Update == nil || len(buttons(resp.Update)) != 0 || !strings.Contains(resp.EphemeralText, "gesloten") {
		t.Errorf("a click on a closed poll: update %v, ephemeral %q", resp.Update != nil, resp.EphemeralText)
	}
}

func TestTypedVoteAndDeadlineRedrawThePollPostAlsoAfterARestart(t *testing.T) {
	fx := newPollFixture(t)
	// As on Mattermost 9.0 and later with a post edit time limit that has
	// passed: any patch that carries a message is refused.
	fx.f.editLimitPassed = true
	resp := fx.command("anna", "/casus duur=1u Zetten we camera's in? | privacy, veiligheid")
	if resp.Text != "" {
		t.Fatalf("the poll was not posted as the bot: %q", resp.Text)
	}
	p := fx.f.postsIn("chan1")[0]
	id := action(t, p, "v0").Integration.Context["poll"].(string)

	fx.restart()
	fx.command("bob", "/stem "+id+" veiligheid")
	testkit.WaitFor(t, "the post to show the typed vote", func() bool {
		got := fx.f.postsIn("chan1")[0]
		return strings.Contains(strings.Join(buttons(got), "|"), "Veiligheid · 1") && got.Message == p.Message
	})

	fx.restart()
	fx.now = fx.now.Add(2 * time.Hour)
	n, err := fx.a.bot.CloseDue(context.Background(), fx.a)
	if err != nil || n != 1 {
		t.Fatalf("CloseDue: %d, %v", n, err)
	}
	fx.a.inflight.Wait() // the redraw of the poll's post
	posts := fx.f.postsIn("chan1")
	if len(posts) != 2 || !strings.Contains(posts[1].Message, "Uitslag van peiling") {
		t.Fatalf("the result was not posted: %d posts", len(posts))
	}
	if b := buttons(posts[0]); len(b) != 0 {
		t.Errorf("the poll post keeps its buttons after the deadline: %q", b)
	}
	if !strings.Contains(posts[0].Attachments()[0].Text, "Veiligheid") || posts[0].Message != p.Message {
		t.Errorf("the closed poll post: %q / %q", posts[0].Message, posts[0].Attachments()[0].Text)
	}
}

func TestCloseButtonWithoutADialogSaysToTypeSluit(t *testing.T) {
	fx := newPollFixture(t)
	p := fx.startPoll()
	fx.f.mu.Lock()
	fx.f.refuseDialogs = true
	fx.f.mu.Unlock()
	resp := fx.click(p, actionClose, "anna", "chan1", nil)
	id := action(t, p, "v0").Integration.Context["poll"].(string)
	if resp.Update != nil || !strings.Contains(resp.EphemeralText, "/sluit "+id) {
		t.Errorf("update %v, ephemeral %q", resp.Update != nil, resp.EphemeralText)
	}
	if n := len(fx.f.postsIn("chan1")); n != 1 {
		t.Errorf("%d posts, want the poll only", n)
	}
}

func TestPollAttachmentGolden(t *testing.T) {
	fx := newPollFixture(t)
	p := fx.startPoll()
	id := action(t, p, "v0").Integration.Context["poll"].(string)
	fx.click(p, "v0", "bob", "chan1", nil)
	fx.click(p, "v1", "bob", "chan1", nil)
	fx.click(p, "v0", "carla", "chan1", nil)
	key, _ := fx.a.actionKey(context.Background())
	open := fx.a.pollPost(fx.a.bot.PollMessage(context.Background(), id), teamID, "chan1", key)
	golden(t, "poll_open.json", open, id)

	fx.click(p, actionClose, "anna", "chan1", nil)
	fx.submitDialog("anna", "chan1", false, nil)
	closed := fx.a.pollPost(fx.a.bot.PollMessage(context.Background(), id), teamID, "chan1", key)
	golden(t, "poll_closed.json", closed, id)

	for _, p := range []*post{open, closed} {
		if n := len([]rune(p.Message)); n > model.PostMessageMaxRunesV2 {
			t.Errorf("message of %d runes", n)
		}
		props, _ := json.Marshal(p.Props)
		if n := len([]rune(string(props))); n > model.PostPropsMaxRunes {
			t.Errorf("props of %d runes", n)
		}
	}
}

var macPattern = regexp.MustCompile(`"mac": "[0-9a-f]{64}"`)

// golden compares the post's message and props as JSON with a file in
// testdata, with the poll ID and the MACs (random per data file) replaced.
func golden(t *testing.T, name string, p *post, pollID string) {
	t.Helper()
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"message": p.Message, "props": p.Props}); err != nil {
		t.Fatal(err)
	}
	got := macPattern.ReplaceAllString(raw.String(), `"mac": "MAC"`)
	for _, s := range []string{"`%s`", "/stem %s", "/uitslag %s", "/sluit %s", `"poll": "%s"`} {
		got = strings.ReplaceAll(got, strings.ReplaceAll(s, "%s", pollID), strings.ReplaceAll(s, "%s", "POLLID"))
	}
	if regexp.MustCompile(`\b` + pollID + `\b`).MatchString(got) {
		t.Logf("poll ID %s is left in %s", pollID, name)
	}
	testkit.Golden(t, filepath.Join("testdata", name), []byte(got))
}

// Attachment text must never ping a channel: Mattermost reads mentions in
// attachments too.
func TestPollPostNeverPingsTheChannel(t *testing.T) {
	fx := newPollFixture(t)
	fx.command("anna", "/casus Moet @channel dit weten? | privacy, @all")
	p := fx.f.postsIn("chan1")[0]
	all := p.Message + model.StringInterfaceToJSON(p.GetProps())
	for _, m := range []string{"@channel", "@all"} {
		if i := strings.Index(all, m); i >= 0 {
			t.Errorf("the poll post contains %q: …%s…", m, all[max(0, i-20):min(len(all), i+20)])
		}
	}
}

func TestMentionStartsAPollPostInTheThread(t *testing.T) {
	fx := newPollFixture(t)
	runWebSocket(t, fx.f, fx.a)
	m := mention("p1", "chan1", "@waardenbot stelling Camera's maken de stad veiliger")
	m.RootId = "root1"
	fx.f.send(m, model.ChannelTypeOpen, botID)
	testkit.WaitFor(t, "the poll post", func() bool { return len(fx.f.postsIn("chan1")) == 1 })
	p := fx.f.postsIn("chan1")[0]
	if p.RootId != "root1" || len(buttons(p)) != 4 || !strings.Contains(p.Message, "**Stelling**") {
		t.Errorf("poll post in thread %q with buttons %q: %q", p.RootId, buttons(p), p.Message)
	}
	if c := action(t, p, "v0").Integration.Context; c["team"] != teamID || c["channel"] != "chan1" {
		t.Errorf("button context %v", c)
	}
}

func TestClickInAHiddenPollSaysTheVoteCountedWithoutShowingCounts(t *testing.T) {
	fx := newPollFixture(t)
	fx.command("anna", "/casus verborgen Zetten we camera's in? | privacy, veiligheid")
	p := fx.f.postsIn("chan1")[0]
	if got := buttons(p); got[0] != "Privacy" {
		t.Fatalf("a hidden poll shows counts: %q", got)
	}
	resp := fx.click(p, "v0", "bob", "chan1", nil)
	if resp.Update == nil || buttons(resp.Update)[0] != "Privacy" || resp.EphemeralText == "" {
		t.Errorf("update %v buttons, ephemeral %q", resp.Update != nil, resp.EphemeralText)
	}
}

func FuzzVerifyRefusesContextsTheBotDidNotSign(f *testing.F) {
	key := []byte("0123456789abcdef0123456789abcdef")
	good := click{Op: opVote, Poll: "abcd", Option: "privacy", Team: teamID, Channel: "chan1"}.context(key)
	f.Add("vote", "abcd", "privacy", teamID, "chan1", good["mac"].(string))
	f.Add("close", "abcd", "", teamID, "chan1", good["mac"].(string))
	f.Fuzz(func(t *testing.T, op, poll, option, team, channel, mac string) {
		c, ok := verify(key, map[string]any{
			"op": op, "poll": poll, "option": option, "team": team, "channel": channel, "mac": mac,
		}, channel)
		signed := c == click{Op: opVote, Poll: "abcd", Option: "privacy", Team: teamID, Channel: "chan1"} && strings.EqualFold(mac, good["mac"].(string)) // hex in either case
		if ok != signed {
			t.Errorf("verify %v for %+v mac %q", ok, c, mac)
		}
	})
}

func TestChannelTeamAndSystemAdminsMayCloseAnotherUsersPoll(t *testing.T) {
	tests := []struct {
		user, key, roles string
		closes           bool
	}{
		{"bob", "chan1/bob", "channel_admin", true},
		{"carla", teamID + "/carla", "team_admin", true},
		{"dirk", "dirk", "system_admin", true},
		{"erik", "chan1/erik", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.user, func(t *testing.T) {
			fx := newPollFixture(t)
			fx.f.setRoles(tc.key, tc.roles)
			fx.command("anna", "/stelling Camera's horen niet in de binnenstad")
			p := fx.f.postsIn("chan1")[0]
			id := action(t, p, "v0").Integration.Context["poll"].(string)
			if n := fx.f.lookups(); n != 0 {
				t.Errorf("%d role lookups before anyone closed", n)
			}
			resp := fx.command(tc.user, "/sluit "+id)
			if closed := strings.Contains(resp.Text, "gesloten"); closed != tc.closes {
				t.Fatalf("closed %v, want %v: %q", closed, tc.closes, resp.Text)
			}
			// The answer is kept for a while: a second try asks nothing.
			before := fx.f.lookups()
			fx.command(tc.user, "/sluit "+id)
			if after := fx.f.lookups(); after != before {
				t.Errorf("asked Mattermost again within a minute: %d → %d", before, after)
			}
		})
	}
}
