module github.com/looklook/looklook/cmd/looklook

go 1.26.0

replace (
	github.com/looklook/looklook/gen => ../../gen
	github.com/looklook/looklook/platform => ../../platform
	github.com/looklook/looklook/services/identity => ../../services/identity
	github.com/looklook/looklook/services/usercenter => ../../services/usercenter
	github.com/looklook/looklook/services/travel => ../../services/travel
	github.com/looklook/looklook/bff => ../../bff
)
