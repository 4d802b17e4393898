/// PushDevice: the controller role, where Gatehouse registers with an
/// upstream PUSH server. Not built yet (issue 6).
enum PushDevice {}
