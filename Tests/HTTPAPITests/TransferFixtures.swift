import Foundation

/// Archives made by GNU tar and gzip -9 (not by our writer), so reading is tested against real deflate streams.
enum TransferFixtures {
    /// `tar cf - userdata.xml DoorSchedule.xml | gzip -9`: 40 users (UserID 5001–5040, card 700000+13·i, PIN
    /// 100000+7·i, Schedule-Relay 1001-1;) and schedules 1001, 1002 and 7 "Weekdays" (Type 1, Weekly 12345,
    /// 08:00-18:00). Dynamic Huffman blocks.
    static let userDataTGZ = "H4sICHw8AWsCA1VzZXJEYXRhLnRhcgDt2k1v20YQBmCd8ysI3h3vzCy/UjlBYCNFL6mRD+SsWmwjVBEDSmrrf9+lYtkejyeZAk0xBfY9WKSW5vK1CemBtPttPy4Xu8XTvz6tZ98pIaWO8fCY8uARscFqBhWlTaqhSccBAjSzIsz+g+y3u8VYFLNxGHZfO+5b4//TzF+kf3zxRz9uV8PmrISnoSz6zdWwXG1+Oyvfv3t10pbFi+dP5u/TjXKRbpTnT4piPm0UP12k48tiGpg2qxDS3uvFp/6sfNNvV8t+syvSMx/6X97068X1WZlO/Wo9DONh6/LjsElHlsWP47D/PG1cjqthXO2uf/71fLFeHw66WC3WL6+uhv1md9h/e/WxX+7X/cnNGSHNeQI/3Bt4ezNSTteZrvRytSnOh2V/ODaEpixOb0bOF+PyZqhJI0Bl8e768+GSDofMT2VdZHVR1EVfdSGqdbE21CVWl0Rd8lUXQa1LnaFuZHWjqBud1W3VuhUa6lasbiXqVr7qUqXWrStD3ZrVrUXd2lfdiGrdpjXUbVjdRtRtnNXt1LodGOq2rG4r6ra+6la1VhemF55v1u1Y3U7U7XzVrUmtC42hLoT7fae9h84Ivgo3QS1MwVKYwQoegZUzWTWqrCBaZAWMViBpBc5s1aq2gspiK2C4AokrcKarTtUV1BZdAeMVSF6BM191qq+gtfgKGLBAAgt8CQuCKizoLMICRiyQxAJfxgJQjYXBYixgyAKJLGicFVaVhWhRFjBmgWQW+HIWoOosJIuzgEELJLTAl7SAVGlhtEgLmbRQSgt9SQuiKi2sLdJCJi2U0kJwVliVFjamz7CYtPCRD7F8SQsqVVrYWqSFTFoopYW+pAW1Ki3sLNJCJi2U0sLorLAqLQKLtJBJC6W00Jm0GlVahBZpIZMWSmmhM2m1qrSILNJCJi2U0kJn0mpVaVFlkRYyaaGUFjqTVqdKi2qLtJBJC6W00Je0MKjSosYiLWLSIikt8iUtBFVa1FmkRUxaJKVF4KywKq0YLNIiJi2S0iJf0kJUpRXB9H0hkxY98oWhL2khqdKKaJEWMWmRlBZFZ4VVacVokRYxaZGUFvmSFkZVWrGySIuYtEhKi3xJCytVWrG2SIuYtEhKixpnhVVpxdYiLWLSIikt8iUtrFVpxc4iLWLSIiktciatRpVWFSzSikxaUUorOpNWq0qrQk1a89O7FVr/YP3XRSp6vKrvtQbw6+v/UqlYP1z/V9cxr/9ztf7veJOI9X/HgS/f09+tAXy5/nNxvT3ereldKf3S4bb90Pe/r6d7Pz2zmjZCeBbCCdKz25dytuLuwQS3jH7dp8suC/MEh59iAuIT3L7fTSdZ3isA8vyANPHiOEk7TQLtcZL56d2fbJaTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk/Ov529QH38bAFAAAA=="

    /// `tar cf - s.txt | gzip -9` with s.txt = "small": a fixed-Huffman block.
    static let smallTGZ = "H4sICH88AWsCA3MudGFyAO3QMQ6CQBRF0b+UWYH5Iwyshx5DApi4fImlhVaakJzT3OJ1b7vsjz1+Kw9D3796eO+hRW1d5rUb6jhG1mxtiJLxB/dtn9ZSYl2Wjz98209qu03zHAAAAAAAAAAAAJzNEz1c5L4AKAAA"
}
