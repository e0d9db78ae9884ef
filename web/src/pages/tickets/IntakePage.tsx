export default function IntakePage() { return null; }
