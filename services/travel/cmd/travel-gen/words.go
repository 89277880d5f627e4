package main

// vocabulary holds the word lists of generated titles and comments.
type vocabulary struct {
	places, scenery, shops, adjectives, kinds []string
	// texts are comment texts by star (index star-1).
	texts [5][]string
}

func newVocabulary() *vocabulary {
	return &vocabulary{
		places:     []string{"West Lake", "Erhai", "Lijiang", "Yangshuo", "Suzhou", "Moganshan", "Huangshan", "Xiamen", "Qingdao", "Sanya", "Chengdu", "Pingyao", "Fenghuang", "Wuzhen", "Zhangjiajie", "Jiuzhaigou"},
		scenery:    []string{"Lakeside", "Mountain", "Riverside", "Old Town", "Garden", "Bamboo", "Tea Hill", "Seaside"},
		shops:      []string{"Stays", "Inns", "Homes", "Lodges", "Retreats", "Houses"},
		adjectives: []string{"Quiet", "Sunny", "Old", "Cosy", "Bright", "Hidden", "Grand", "Little", "Misty", "Restored"},
		kinds:      []string{"Courtyard House", "Loft", "Cottage", "Villa", "Stone House", "Wooden Inn", "Suite", "Farm Stay", "Treehouse", "Studio"},
		texts: [5][]string{
			{"Not as pictured.", "Would not stay again."},
			{"Needs cleaning.", "Noisy at night."},
			{"Fine for a night.", "Good location, basic room."},
			{"Lovely stay, kind host.", "Comfortable and quiet."},
			{"Perfect in every way!", "Best stay of our trip."},
		},
	}
}
