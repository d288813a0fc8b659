package mattermost

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

// submitForm submits the dialog the bot opened last as user in chan1,
// with submission as the client sends it.
func (fx *pollFixture) submitForm(user string, submission map[string]any) model.SubmitDialogResponse {
	fx.t.Helper()
	d, ok := fx.f.lastDialog()
	if !ok {
		fx.t.Fatal("the bot opened no dialog")
	}
	req := model.SubmitDialogRequest{Type: "dialog_submission", URL: d.URL, CallbackId: d.Dialog.CallbackId, State: d.Dialog.State,
		UserId: user, ChannelId: "chan1", TeamId: teamID, Submission: submission}
	var resp model.SubmitDialogResponse
	fx.postJSON(dialogPath, req, &resp)
	return resp
}

func TestCasusWithoutTextOpensADialogWhoseErrorsShowBesideTheFields(t *testing.T) {
	fx := newPollFixture(t)
	resp := fx.command("anna", "/casus")
	if resp.ResponseType != model.CommandResponseTypeEphemeral || resp.Text != "" {
		t.Fatalf("the command answered %q; want the dialog alone", resp.Text)
	}
	d, _ := fx.f.lastDialog()
	var names []string
	for _, el := range d.Dialog.Elements {
		names = append(names, el.Name)
		if len([]rune(el.DisplayName)) > model.DialogElementDisplayNameMaxLength || len([]rune(el.HelpText)) > model.DialogElementHelpTextMaxLength {
			t.Errorf("element %q is over Mattermost's limits: %q %q", el.Name, el.DisplayName, el.HelpText)
		}
		if el.Name == "values" && (!el.MultiSelect || len(el.Options) != 30) {
			t.Errorf("values: %+v", el)
		}
	}
	if got := strings.Join(names, " "); got != "text values other settings:anoniem settings:verborgen settings:aanvullen max deadline remind" {
		t.Errorf("elements %s", got)
	}
	if err := d.Dialog.IsValid(); err != nil {
		t.Errorf("the dialog is not valid for Mattermost: %v", err)
	}

	bad := fx.submitForm("anna", map[string]any{"text": "Mag dit?", "values": []any{"Privacy"}, "other": "", "settings:anoniem": false, "max": "3", "deadline": "2d"})
	if len(bad.Errors) != 1 || !strings.Contains(bad.Errors["values"], "Ik las 1 waarde") {
		t.Errorf("errors %+v", bad)
	}
	if len(fx.f.postsIn("chan1")) != 0 {
		t.Fatal("a refused form posted")
	}
	ok := map[string]any{"text": "Mag de gemeente inkomensgegevens gebruiken?", "values": "Bestaanszekerheid,Privacy", "other": "toegankelijkheid",
		"settings:anoniem": true, "settings:aanvullen": true, "max": "2", "deadline": "2d"}
	for range 2 { // a double click on the dialog's button
		if r := fx.submitForm("anna", ok); len(r.Errors) != 0 || r.Error != "" {
			t.Fatalf("a valid form: %+v", r)
		}
	}
	posts := fx.f.postsIn("chan1")
	if len(posts) != 1 {
		t.Fatalf("%d posts from one dialog", len(posts))
	}
	if got := strings.Join(buttons(posts[0]), "|"); got != "Bestaanszekerheid · 0|Privacy · 0|Toegankelijkheid · 0|Waarde toevoegen|Sluit de peiling" {
		t.Errorf("buttons %s", got)
	}
	if att := posts[0].Attachments()[0].Text; !strings.Contains(att, "Anoniem") || !strings.Contains(att, "/optie") {
		t.Errorf("attachment:\n%s", att)
	}
}

func TestTheAddValueButtonOpensADialogAndRedrawsThePost(t *testing.T) {
	fx := newPollFixture(t)
	fx.command("anna", "/casus aanvullen Zetten we camera's met gezichtsherkenning in? | privacy, veiligheid")
	p := fx.f.postsIn("chan1")[0]
	if r := fx.click(p, actionAdd, "bob", "chan1", nil); r.EphemeralText != "" {
		t.Fatalf("click: %q", r.EphemeralText)
	}
	d, _ := fx.f.lastDialog()
	if d.Dialog.CallbackId != opForm || len(d.Dialog.Elements) != 1 || d.Dialog.Elements[0].Name != "value" {
		t.Fatalf("dialog %+v", d.Dialog)
	}
	if r := fx.submitForm("bob", map[string]any{"value": "Privacy"}); !strings.Contains(r.Errors["value"], "staat al in peiling") {
		t.Errorf("a duplicate: %+v", r)
	}
	if r := fx.submitForm("bob", map[string]any{"value": "leefbaarheid"}); len(r.Errors) != 0 {
		t.Fatalf("%+v", r)
	}
	fx.a.inflight.Wait()
	p = fx.f.postsIn("chan1")[0]
	if got := strings.Join(buttons(p), "|"); got != "Privacy · 0|Veiligheid · 0|Leefbaarheid · 0|Waarde toevoegen|Sluit de peiling" {
		t.Errorf("after the dialog: %s", got)
	}
	// A form state the bot did not sign is refused.
	forged := model.SubmitDialogRequest{CallbackId: opForm, State: `{"op":"form","poll":"x","option":"optie:1","channel":"chan1","mac":"00"}`, UserId: "bob", ChannelId: "chan1",
		Submission: map[string]any{"value": "orde"}}
	var resp model.SubmitDialogResponse
	fx.postJSON(dialogPath, forged, &resp)
	if !strings.Contains(resp.Error, "niet (meer) geldig") {
		t.Errorf("a forged state: %+v", resp)
	}
}

func TestMattermostCountsPeopleInOneCallAndRemindsPrivately(t *testing.T) {
	fx := newPollFixture(t)
	fx.a.me = &user{Id: botID, Username: botName, IsBot: true}
	for i, name := range []string{"anna", "bob", "carla", "dirk"} {
		fx.f.roster.users = append(fx.f.roster.users, &model.User{Id: fmt.Sprintf("user%d", i), Username: name})
	}
	fx.f.roster.users = append(fx.f.roster.users, &model.User{Id: botID, IsBot: true}, &model.User{Id: "gone", DeleteAt: 1}, &model.User{Id: "otherbot", IsBot: true})
	ctx := context.Background()
	ch := bot.Destination{Platform: Platform, Team: teamID, Channel: "chan1"}

	// A bot that is no system admin: the channel's stats, less itself.
	if n, err := fx.a.MemberCount(ctx, ch); n != 5 || err != nil {
		t.Errorf("count without the permission: %d %v (6 members, the bot one of them; another bot counted)", n, err)
	}
	fx.a.MemberCount(ctx, ch)
	if fx.f.rosterCalls("stats/filtered") != 1 || fx.f.rosterCalls("channel stats") != 2 {
		t.Errorf("calls %v: the refusal is remembered", fx.f.roster.calls)
	}
	// With it: people only, in one call.
	fx.f.mu.Lock()
	fx.f.roster.countHuman = true
	fx.f.mu.Unlock()
	fx.a.statsDenied.Store(false)
	if n, err := fx.a.MemberCount(ctx, ch); n != 4 || err != nil {
		t.Errorf("count of people: %d %v", n, err)
	}
	if q := fx.f.roster.lastFilter; q["in_channel"] != "chan1" || q["include_bots"] != "false" || q["include_deleted"] != "false" {
		t.Errorf("filtered count asked %v", q)
	}
	users, err := fx.a.Members(ctx, ch)
	if err != nil || strings.Join(users, ",") != "user0,user1,user2,user3" {
		t.Errorf("members %v %v", users, err)
	}

	// Online, and the bot may post ephemeral messages: ephemeral; else a DM.
	fx.f.mu.Lock()
	fx.f.allowEphemeral, fx.f.roster.online = true, map[string]bool{"user0": true}
	fx.f.mu.Unlock()
	for _, u := range []string{"user0", "user1"} {
		if err := fx.a.PostPrivate(ctx, ch, u, bot.Reply{Text: "**Herinnering** · peiling"}); err != nil {
			t.Fatal(err)
		}
	}
	if len(fx.f.ephemeral) != 1 || fx.f.ephemeral[0].UserID != "user0" || fx.f.ephemeral[0].Post.ChannelId != "chan1" {
		t.Errorf("ephemeral %+v", fx.f.ephemeral)
	}
	if dm := fx.f.postsIn("dm-user1"); len(dm) != 1 || !strings.Contains(dm[0].Message, "Herinnering") {
		t.Errorf("direct message %+v", dm)
	}
	if ch := fx.f.postsIn("chan1"); len(ch) != 0 {
		t.Errorf("a reminder was posted in the channel")
	}
}
