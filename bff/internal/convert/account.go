// Package convert maps internal services' messages to the BFF's public ones. The BFF never
// re-exports internal messages, so internal fields (password hashes, versions of other
// services' rows) cannot leak by accident when an internal contract grows.
package convert

import (
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

// Tokens maps identity's token pair.
func Tokens(t *identityv1.AuthTokens) *bffv1.AuthTokens {
	if t == nil {
		return nil
	}
	return &bffv1.AuthTokens{
		AccessToken:       t.GetAccessToken(),
		RefreshToken:      t.GetRefreshToken(),
		AccessExpireTime:  t.GetAccessExpireTime(),
		RefreshExpireTime: t.GetRefreshExpireTime(),
	}
}

// User maps a usercenter user to the account its owner sees.
func User(u *usercenterv1.User, roles []string) *bffv1.User {
	if u == nil {
		return nil
	}
	return &bffv1.User{
		Id:         u.GetId(),
		Mobile:     u.GetMobile(),
		Nickname:   u.GetNickname(),
		Sex:        bffv1.Sex(u.GetSex()),
		Avatar:     u.GetAvatar(),
		Info:       u.GetInfo(),
		Roles:      roles,
		CreateTime: u.GetCreateTime(),
	}
}

// Profile maps a usercenter user to what anyone may see of them.
func Profile(u *usercenterv1.User) *bffv1.Profile {
	if u == nil {
		return nil
	}
	return &bffv1.Profile{UserId: u.GetId(), Nickname: u.GetNickname(), Avatar: u.GetAvatar(), Info: u.GetInfo()}
}
