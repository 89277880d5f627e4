module github.com/looklook/looklook/services/usercenter

go 1.26.0

replace (
	github.com/looklook/looklook/gen => ../../gen
	github.com/looklook/looklook/platform => ../../platform
	github.com/looklook/looklook/services/identity => ../identity
	github.com/looklook/looklook/services/travel => ../travel
	github.com/looklook/looklook/bff => ../../bff
)
