//go:build e2e

// The end-to-end checks of issue 13 against a real Mattermost: a poll's
// participation from the server's member count, reminders to those who
// have not voted (privately, once, also across a restart of the bot), the
// form dialog that starts a poll with its errors beside the fields, and
// the dialog behind "Waarde toevoegen".

package mattermost

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

// e2eMember is a user of the issue 13 checks: a client logged in as them
// and what reached their WebSocket.
type e2eMember struct {
	name   string
	user   *model.User
	c      *model.Client4
	ws     *model.WebSocketClient
	mu     sync.Mutex
	events []*model.WebSocketEvent
}

// member finds or creates a user in the team and in channel, and listens
// on a WebSocket as their browser would, until the end of the run (so that
// Mattermost counts them as online).
func (s *e2eServer) member(t *testing.T, ctx context.Context, name string, channel *model.Channel) *e2eMember {
	t.Helper()
	c, u := s.user(t, ctx, name)
	must[*model.ChannelMember](t, "add "+name+" to "+channel.Name)(s.admin.AddChannelMember(ctx, channel.Id, u.Id))
	ws, err := model.NewWebSocketClient4("ws"+strings.TrimPrefix(s.url, "http"), c.AuthToken)
	if err != nil {
		t.Fatal(err)
	}
	m := &e2eMember{name: name, user: u, c: c, ws: ws}
	ws.Listen()
	s.closers = append(s.closers, ws.Close)
	go func() {
		for {
			select {
			case ev, ok := <-ws.EventChannel:
				if !ok {
					return
				}
				m.mu.Lock()
				m.events = append(m.events, ev)
				m.mu.Unlock()
			case <-ws.ResponseChannel:
			case <-ws.PingTimeoutChannel:
			}
		}
	}()
	return m
}

// ephemerals are the texts of the ephemeral posts that reached m.
func (m *e2eMember) ephemerals() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, ev := range m.events {
		if ev.EventType() != model.WebsocketEventEphemeralMessage {
			continue
		}
		var p model.Post
		if s, ok := ev.GetData()["post"].(string); ok && json.Unmarshal([]byte(s), &p) == nil {
			out = append(out, p.Message)
		}
	}
	return out
}

// dialog waits for the next dialog the bot opens for m.
func (m *e2eMember) dialog(t *testing.T, after int) (model.OpenDialogRequest, int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		m.mu.Lock()
		for i := after; i < len(m.events); i++ {
			if m.events[i].EventType() == model.WebsocketEventOpenDialog {
				var d model.OpenDialogRequest
				json.Unmarshal([]byte(m.events[i].GetData()["dialog"].(string)), &d)
				m.mu.Unlock()
				return d, i + 1
			}
		}
		m.mu.Unlock()
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no dialog for %s within 10 s", m.name)
	return model.OpenDialogRequest{}, after
}

// reminders counts the reminders of poll id that reached m: ephemeral
// posts, and posts in the direct channel with the bot.
func (s *e2eServer) reminders(t *testing.T, ctx context.Context, m *e2eMember, id string, since int64) int {
	t.Helper()
	n := 0
	for _, text := range m.ephemerals() {
		if strings.Contains(text, "**Herinnering**") && strings.Contains(text, id) {
			n++
		}
	}
	dm := must[*model.Channel](t, "direct channel")(s.admin.CreateDirectChannel(ctx, s.botUser.Id, m.user.Id))
	for _, p := range s.botPosts(t, ctx, dm.Id, since) {
		if strings.Contains(p.Message, "**Herinnering**") && strings.Contains(p.Message, id) {
			n++
		}
	}
	return n
}

// humans counts the channel's members that are people, as an admin sees
// them.
func (s *e2eServer) humans(t *testing.T, ctx context.Context, channel string) int {
	t.Helper()
	users := must[[]*model.User](t, "users in channel")(s.admin.GetUsersInChannel(ctx, channel, 0, 200, ""))
	n := 0
	for _, u := range users {
		if !u.IsBot && u.DeleteAt == 0 {
			n++
		}
	}
	return n
}

// reminderPoll is the poll whose reminders the last check counts: made
// early, as its reminder comes a minute after it starts.
type reminderPoll struct {
	id, post   string
	since      int64
	at         time.Time
	nonVoters  []*e2eMember
	voter      *e2eMember
	lateJoiner *e2eMember
	channel    *model.Channel
}

// startReminderPoll makes a channel of four people, starts a statement
// with a reminder a minute later, and has one of them vote.
func (s *e2eServer) startReminderPoll(t *testing.T, ctx context.Context, a *Adapter) *reminderPoll {
	t.Helper()
	ch, _, err := s.admin.GetChannelByName(ctx, "e2e13", s.team.Id, "")
	if err != nil {
		ch = must[*model.Channel](t, "create channel")(s.admin.CreateChannel(ctx, &model.Channel{TeamId: s.team.Id, Name: "e2e13", DisplayName: "e2e13", Type: model.ChannelTypeOpen}))
	}
	must[*model.ChannelMember](t, "add bot")(s.admin.AddChannelMember(ctx, ch.Id, s.botUser.Id))
	rp := &reminderPoll{channel: ch, since: model.GetMillis() - 1}
	anna := s.member(t, ctx, "anna", ch)
	bob := s.member(t, ctx, "bob", ch)
	carla := s.member(t, ctx, "carla", ch)
	humans := s.humans(t, ctx, ch.Id) // anna, bob, carla and the admin who made the channel
	if n, err := a.MemberCount(ctx, bot.Destination{Platform: Platform, Team: s.team.Id, Channel: ch.Id}); err != nil || n != humans {
		t.Errorf("member count %d (%v), want the %d people", n, err, humans)
	}
	must[*model.CommandResponse](t, "/stelling")(anna.c.ExecuteCommand(ctx, ch.Id, "/stelling duur=3m herinnering=2m Je moet als gemeente meer samenwerken met andere gemeenten"))
	post := s.botPostAfter(t, ctx, ch.Id, rp.since, "samenwerken", 10*time.Second)
	rp.post, rp.at = post.Id, time.Now().Add(time.Minute)
	rp.id = strings.Trim(strings.Fields(strings.SplitN(post.Message, "\n", 2)[0])[3], "`")
	if att := post.Attachments()[0].Text; !strings.Contains(att, "0 van 4 kanaalleden hebben gestemd.") || !strings.Contains(att, "herinnering") {
		t.Errorf("the poll's attachment:\n%s", att)
	}
	if _, err := bob.c.DoPostAction(ctx, post.Id, "v0"); err != nil {
		t.Fatalf("bob votes: %v", err)
	}
	p := must[*model.Post](t, "poll post")(s.admin.GetPost(ctx, post.Id, ""))
	if att := p.Attachments()[0].Text; !strings.Contains(att, "1 van 4 kanaalleden heeft gestemd.") {
		t.Errorf("after bob's vote:\n%s", att)
	}
	rp.voter, rp.nonVoters = bob, []*e2eMember{anna, carla}
	rp.lateJoiner = s.member(t, ctx, "dora", ch) // joined after the start: no reminder
	return rp
}

// checkReminders waits for the reminders of rp and checks that each
// non-voter got one, privately, and nobody else; restart restarts the bot
// in between, after which nobody gets a second one.
func (s *e2eServer) checkReminders(t *testing.T, ctx context.Context, rp *reminderPoll, restart func()) {
	t.Helper()
	t.Logf("waiting %s for the reminders", time.Until(rp.at).Round(time.Second))
	deadline := rp.at.Add(30 * time.Second)
	for _, m := range rp.nonVoters {
		for s.reminders(t, ctx, m, rp.id, rp.since) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s got no reminder within 30 s of its time", m.name)
			}
			time.Sleep(300 * time.Millisecond)
		}
	}
	t.Logf("reminders delivered %s after their time", time.Since(rp.at).Round(time.Millisecond))
	// They are online (their WebSocket is open) and the bot is a system
	// admin: an ephemeral post in the channel, not a direct message.
	for _, m := range rp.nonVoters {
		if n := len(m.ephemerals()); n != 1 {
			t.Errorf("%s, online, got %d ephemeral reminders, want 1", m.name, n)
		}
	}
	restart()
	time.Sleep(4 * time.Second) // the reminder loop runs every second
	for _, m := range rp.nonVoters {
		if n := s.reminders(t, ctx, m, rp.id, rp.since); n != 1 {
			t.Errorf("%s got %d reminders, want 1", m.name, n)
		}
	}
	for _, m := range []*e2eMember{rp.voter, rp.lateJoiner} {
		if n := s.reminders(t, ctx, m, rp.id, rp.since); n != 0 {
			t.Errorf("%s got %d reminders, want none", m.name, n)
		}
	}
	for _, p := range s.botPosts(t, ctx, rp.channel.Id, rp.since) {
		if strings.Contains(p.Message, "Herinnering") {
			t.Errorf("a reminder was posted in the channel: %q", p.Message)
		}
	}
}

// formDialogs starts a poll with the form dialog, whose refusal shows
// beside the field and whose double submission makes one poll, and adds
// a value with the dialog behind "Waarde toevoegen".
func (s *e2eServer) formDialogs(t *testing.T, ctx context.Context) {
	ch := s.channel
	erik := s.member(t, ctx, "erik", ch)
	since := model.GetMillis() - 1
	resp := must[*model.CommandResponse](t, "/casus")(erik.c.ExecuteCommand(ctx, ch.Id, "/casus"))
	if resp.Text != "" {
		t.Errorf("/casus without text answered %q; want the dialog alone", resp.Text)
	}
	d, seen := erik.dialog(t, 0)
	if d.Dialog.Title != "Nieuwe casus" || len(d.Dialog.Elements) != 9 {
		t.Fatalf("dialog %+v", d.Dialog)
	}
	submit := func(sub map[string]any) *model.SubmitDialogResponse {
		return must[*model.SubmitDialogResponse](t, "submit dialog")(erik.c.SubmitInteractiveDialog(ctx, model.SubmitDialogRequest{
			URL: d.URL, CallbackId: d.Dialog.CallbackId, State: d.Dialog.State, ChannelId: ch.Id, TeamId: s.team.Id, Submission: sub}))
	}
	bad := submit(map[string]any{"text": "Mag de gemeente inkomensgegevens gebruiken om de energietoeslag automatisch toe te kennen?",
		"values": "Bestaanszekerheid", "other": "privacy", "deadline": "morgen", "max": "2", "settings:aanvullen": true})
	if !strings.Contains(bad.Errors["deadline"], "duur=morgen") || len(bad.Errors) != 1 {
		t.Errorf("errors %+v", bad)
	}
	ok := map[string]any{"text": "Mag de gemeente inkomensgegevens gebruiken om de energietoeslag automatisch toe te kennen?",
		"values": "Bestaanszekerheid", "other": "privacy", "deadline": "2d", "max": "2", "settings:aanvullen": true}
	for range 2 {
		if r := submit(ok); len(r.Errors) != 0 || r.Error != "" {
			t.Fatalf("a valid form: %+v", r)
		}
	}
	poll := s.botPostAfter(t, ctx, ch.Id, since, "energietoeslag", 10*time.Second)
	time.Sleep(time.Second)
	n := 0
	for _, p := range s.botPosts(t, ctx, ch.Id, since) {
		if strings.Contains(p.Message, "energietoeslag") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d polls from one dialog submitted twice", n)
	}
	if got := strings.Join(buttonNames(poll), "|"); got != "Bestaanszekerheid · 0|Privacy · 0|Waarde toevoegen|Sluit de peiling" {
		t.Fatalf("buttons %s", got)
	}

	// "Waarde toevoegen" opens a dialog; the value redraws the post.
	if _, err := erik.c.DoPostAction(ctx, poll.Id, "add"); err != nil {
		t.Fatalf("click add: %v", err)
	}
	d, _ = erik.dialog(t, seen)
	if r := submit(map[string]any{"value": "Privacy"}); !strings.Contains(r.Errors["value"], "staat al in peiling") {
		t.Errorf("a duplicate: %+v", r)
	}
	if r := submit(map[string]any{"value": "leefbaarheid"}); len(r.Errors) != 0 {
		t.Fatalf("%+v", r)
	}
	s.waitButtons(t, ctx, poll.Id, 5)
	p := must[*model.Post](t, "poll post")(s.admin.GetPost(ctx, poll.Id, ""))
	if att := p.Attachments()[0].Text; !strings.Contains(att, "toegevoegd door erik") {
		t.Errorf("the post does not say who added the value:\n%s", att)
	}
}
