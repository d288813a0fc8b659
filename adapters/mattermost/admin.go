package mattermost

import (
	"context"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// isAdmin asks Mattermost whether user is an admin of the channel, of the
// team or of the system, cheapest question first.
func (a *Adapter) isAdmin(ctx context.Context, team, channel, user string) (bool, error) {
	cm, err := a.rest.channelMember(ctx, channel, user)
	if err != nil {
		return false, err
	}
	if cm.SchemeAdmin || hasRole(cm.Roles, model.ChannelAdminRoleId) {
		return true, nil
	}
	if team != "" {
		tm, err := a.rest.teamMember(ctx, team, user)
		if err != nil {
			return false, err
		}
		if tm.SchemeAdmin || hasRole(tm.Roles, model.TeamAdminRoleId) {
			return true, nil
		}
	}
	u, err := a.rest.user(ctx, user)
	if err != nil {
		return false, err
	}
	return hasRole(u.Roles, model.SystemAdminRoleId), nil
}

// hasRole reports whether the space-separated roles include role.
func hasRole(roles, role string) bool {
	for r := range strings.FieldsSeq(roles) {
		if r == role {
			return true
		}
	}
	return false
}
