import { MusicDemo } from '../components/MusicDemo';

export default function Page() {
  return <MusicDemo />;
}
