import { PhotoDemo } from '../components/PhotoDemo';

export default function Page() {
  return <PhotoDemo />;
}
