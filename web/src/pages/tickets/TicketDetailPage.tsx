export default function TicketDetailPage() { return null; }
