import { SceneDemo } from '../../components/SceneDemo';

export default function Page() {
  return <SceneDemo />;
}
