/// PushServer: the ADMS role, where ZKTeco devices register with Gatehouse.
/// Not built yet (issue 6); the host logs that `push.listen` is not bound.
enum PushServer {}
